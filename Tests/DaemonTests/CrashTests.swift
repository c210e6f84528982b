import Daemon
import FITS
import Foundation
import Pipeline
import TestSupport
import XCTest

/// The real daemon killed with SIGKILL at random moments while a download keeps arriving, then restarted:
/// nothing lost, nothing done twice, nothing half-written. Uses whatever steps the real binary registers.
final class CrashTests: XCTestCase {
    func testKillNineAtRandomMomentsThenRestartLosesAndRepeatsNothing() async throws {
        let scratch = try TemporaryDirectory("webbflow-crash")
        let root = scratch.path
        let inbox = "\(root)/inbox", outbox = "\(root)/outbox", state = "\(root)/state"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        // The files to skip of a program download, plus one full-size rate exposure when the simulator has that kind
        // (after the merge it routes to a real step); the small files below keep the test quick either way.
        _ = try WebbflowBinary.output(["simulate", "program", "--out", inbox, "--seed", "3", "--set", "science=false"])
        if try WebbflowBinary.output(["simulate", "--list"]).contains("nirspec-rate ") {
            _ = try WebbflowBinary.output(["simulate", "nirspec-rate", "--out", "\(inbox)/mastDownload/JWST/rate", "--seed", "3"])
        }
        let arguments = [
            "run", "--inbox", inbox, "--outbox", outbox, "--state-dir", state, "--settle", "0.2",
            "--retry-backoff", "0.2", "--log-target", "stderr",
        ]
        var random = SystemRandomNumberGenerator()
        var exposure = 1
        for round in 1...12 {
            // The download goes on between crashes: a few more files each time, some in new folders.
            for _ in 0..<4 {
                let file = try TestExposures.bytes(exposure: exposure, type: "NRS_FIXEDSLIT")
                let folder = "\(inbox)/mastDownload/JWST/extra\(round)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try file.data.write(to: URL(fileURLWithPath: "\(folder)/\(file.name)"))
                exposure += 1
            }
            let daemon = try WebbflowBinary.start(arguments, log: "\(root)/daemon.log")
            try await Task.sleep(for: .milliseconds(Int64.random(in: 50...1200, using: &random)))
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        let final = try WebbflowBinary.start(arguments + ["--exit-when-idle"], log: "\(root)/daemon.log")
        let finished = try await WebbflowBinary.wait(final, timeout: 600)
        let log = (try? String(contentsOfFile: "\(root)/daemon.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(finished, "the last run became idle and stopped\n\(log.suffix(3000))")

        let report = try StatusReport.read(stateDirectory: state, recent: 100_000)
        let inboxFiles = (FileManager.default.enumerator(atPath: inbox)?.allObjects as? [String] ?? [])
            .filter { Watcher.isCandidate(name: ($0 as NSString).lastPathComponent) }
        let recorded = report.files.values.reduce(0, +)
        XCTAssertEqual(recorded, inboxFiles.count, "every file recorded exactly once: \(report.files)")
        XCTAssertTrue(report.queued.isEmpty && report.running.isEmpty, "no job left behind")
        let finishedJobs = report.steps.reduce(0) { $0 + $1.done + $1.failed }
        XCTAssertEqual(finishedJobs, report.files["routed"] ?? 0, "each routed file has exactly one finished job")

        let products = (FileManager.default.enumerator(atPath: outbox)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".fits") }
        XCTAssertEqual(products.count, report.productCount, "one file per recorded product, none extra")
        for product in products {
            XCTAssertFalse((product as NSString).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix), "no temporary left: \(product)")
            XCTAssertTrue(FITSStructure.inspect("\(outbox)/\(product)").isComplete, "\(product) is whole")
        }
        print("crash test: \(inboxFiles.count) files, \(report.files), \(report.productCount) products, steps \(report.steps.map(\.step))")
    }
}
