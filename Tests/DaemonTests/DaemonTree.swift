import Daemon
import Foundation
import Pipeline
import TestSupport
import XCTest

/// A scratch tree (inbox, outbox, state) for the real `webbflow run` binary with its real steps: starts the daemon
/// there, runs it until idle, and reads what it logged and recorded.
final class DaemonTree {
    let scratch: TemporaryDirectory
    let inbox: String
    let outbox: String
    let state: String
    /// Where every daemon run on this tree logs, one run after another.
    let logPath: String

    init(_ label: String) throws {
        scratch = try TemporaryDirectory(label)
        inbox = scratch.file("inbox")
        outbox = scratch.file("outbox")
        state = scratch.file("state")
        logPath = scratch.file("daemon.log")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    }

    /// `webbflow run` on this tree with short settle and retry times, logging to stderr.
    func arguments(_ extra: [String] = []) -> [String] {
        [
            "run", "--inbox", inbox, "--outbox", outbox, "--state-dir", state, "--settle", "0.2", "--retry-backoff", "0.1",
            "--log-target", "stderr",
        ] + extra
    }

    func start(_ extra: [String] = [], launcher: [String] = []) throws -> Process {
        try WebbflowBinary.start(arguments(extra), launcher: launcher, log: logPath)
    }

    /// Runs the daemon until everything found is processed; fails the test when it does not stop by itself in time.
    @discardableResult
    func runUntilIdle(_ extra: [String] = [], launcher: [String] = [], timeout: Double = 180) async throws -> Int32 {
        let process = try start(extra + ["--exit-when-idle"], launcher: launcher)
        let finished = try await WebbflowBinary.wait(process, timeout: timeout)
        XCTAssertTrue(finished, "the daemon became idle and stopped\n\(log.suffix(3000))")
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// How many times the log says `text`.
    func occurrences(_ text: String) -> Int { log.components(separatedBy: text).count - 1 }

    /// Waits until the log says `text` `count` times; false after `timeout` seconds.
    func waitForLog(_ text: String, count: Int = 1, timeout: Double = 60) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if occurrences(text) >= count { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func status() throws -> StatusReport { try StatusReport.read(stateDirectory: state, recent: 1000) }

    /// Writes a small NIRSpec IFU rate exposure into the inbox (under `folder`, as `name` when given); returns its path.
    @discardableResult
    func put(exposure: Int, target: String = "SIM-TARGET", name: String? = nil, folder: String = "") throws -> String {
        let file = try TestExposures.bytes(exposure: exposure, target: target)
        let directory = folder.isEmpty ? inbox : "\(inbox)/\(folder)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(name ?? file.name)"
        try TestExposures.writeInPlace(file.data, to: path)
        return path
    }

    /// Every product in the outbox, relative to it; temporaries left out.
    func products() -> [String] {
        (FileManager.default.enumerator(atPath: outbox)?.allObjects as? [String] ?? []).filter {
            $0.hasSuffix(".fits") && !($0 as NSString).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix)
        }.sorted()
    }

    /// The nsclean product of `input` (its path relative to the outbox), if written.
    func product(of input: String) -> String? {
        let stem = ProductName(input).stem
        return products().first { ($0 as NSString).lastPathComponent == "\(stem)_nsclean.fits" }
    }
}
