import Daemon
import Foundation
import XCTest

/// A `.fits.gz` is never decompressed whole to read its headers: gzip bombs are refused by the size limit or by
/// the memory budget while the daemon stays small and processes the other files.
final class BoundedIntakeTests: XCTestCase {
    func testGzipBombsAreRefusedWithoutDecompressingThemWhole() async throws {
        let tree = try DaemonTree("webbflow-bomb")
        // 1 GiB and 256 MiB of SCI, about 1 MB and 256 kB compressed.
        let bomb = try TestExposures.gzipBomb(exposure: 1, side: 16_384, in: tree.inbox)
        let small = try TestExposures.gzipBomb(exposure: 2, side: 8_192, in: tree.inbox)
        let plain = try tree.put(exposure: 3)
        let config = tree.scratch.file("limits.toml")
        try "max_uncompressed_mb = 512\n".write(toFile: config, atomically: true, encoding: .utf8)
        // Under a 3 GiB address-space limit, a daemon decompressing the bombs whole dies rather than the machine.
        let daemon = try tree.start(
            ["--config", config, "--memory-budget-mb", "512"], launcher: ["/usr/bin/prlimit", "--as=\(3 << 30)", "--"])
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(120)
        while daemon.isRunning, Date() < deadline, (try? tree.status())?.failed.isEmpty != false || tree.product(of: plain) == nil {
            try await Task.sleep(for: .milliseconds(100))
        }
        let peak = try XCTUnwrap(Self.peakResidentMB(of: daemon.processIdentifier), "the daemon is still up\n\(tree.log.suffix(3000))")

        let report = try tree.status()
        XCTAssertNotNil(tree.product(of: plain), "the other file is processed\n\(tree.log.suffix(3000))")
        let refused = try XCTUnwrap(report.skipped.first { $0.path == bomb }, "the bomb is recorded")
        XCTAssertEqual(refused.skipReason, "too-large")
        XCTAssertTrue(refused.reason.contains("more than 512 MB"), refused.reason)
        let failed = try XCTUnwrap(report.failed.first { $0.inputs == [small] }, "the smaller bomb's job is refused")
        XCTAssertTrue(failed.error?.contains("256 MB of input uncompressed") == true, failed.error ?? "")
        // Decompressing either file whole would take at least 256 MB; the daemon itself needs a few tens.
        XCTAssertLessThan(peak, 200, "peak resident memory in MB")
        print("gzip bombs: daemon peak resident memory \(peak) MB")
    }

    /// VmHWM of a running process, in MB.
    static func peakResidentMB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kB = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kB / 1024
    }
}
