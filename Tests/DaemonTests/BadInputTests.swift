import Daemon
import FITS
import Foundation
import XCTest

/// Damaged, hostile and unfinished inputs: each is handled with a recorded reason and the daemon keeps working.
final class BadInputTests: XCTestCase {
    func testEachBadInputGetsAReasonAndTheDaemonKeepsRunning() async throws {
        // A settle time ten times the growing writer's pause, so a loaded machine does not make it look finished.
        let harness = try DaemonHarness(settle: 1.0)
        try await harness.start()
        let good = try TestExposures.bytes(exposure: 1)

        let truncated = try TestExposures.bytes(exposure: 2)
        _ = try harness.write(truncated.name, truncated.data.prefix(truncated.data.count - 2880))
        _ = try harness.write("jw04242001001_03101_00003_nrs1_rate.fits", Data("this is not FITS at all, just text\n".utf8))
        let unknown = try TestExposures.bytes(exposure: 4, type: "NRS_SOMETHINGNEW")
        _ = try harness.write(unknown.name, unknown.data)
        let outside = "\(harness.root)/elsewhere"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let secret = try TestExposures.bytes(exposure: 5)
        try secret.data.write(to: URL(fileURLWithPath: "\(outside)/\(secret.name)"))
        try FileManager.default.createSymbolicLink(
            atPath: "\(harness.inbox)/\(secret.name)", withDestinationPath: "\(outside)/\(secret.name)")
        let hostile = try TestExposures.bytes(exposure: 6, target: "../../../../tmp/evil")
        _ = try harness.write(hostile.name, hostile.data)
        _ = try harness.write("jw04242001001_03101_00007_nrs1_rate.fits", Data())

        // Still growing: a writer that reopens and appends every 0.1 s (each close is an event) for longer than the
        // settle time; it is not taken while it grows, only once quiet and complete.
        let growing = try TestExposures.bytes(exposure: 8)
        let growingPath = "\(harness.inbox)/\(growing.name)"
        let chunk = growing.data.count / 12 + 1
        for start in stride(from: 0, to: growing.data.count, by: chunk) {
            try TestExposures.append(growing.data[start..<min(growing.data.count, start + chunk)], to: growingPath)
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = try harness.write(good.name, good.data)

        // good, growing, hostile → 3 products; truncated, not-FITS, unknown, symlink, zero-byte → 5 records with reasons.
        try await harness.waitForQuiet(files: 8)
        try await harness.stop()
        let report = try harness.status()
        func reason(_ name: String) -> String {
            report.skipped.first { $0.path.hasSuffix(name) }.map { "\($0.state): \($0.reason)" } ?? "none"
        }
        XCTAssertTrue(reason(truncated.name).hasPrefix("incomplete:"), reason(truncated.name))
        XCTAssertTrue(reason("00003_nrs1_rate.fits").contains("not a FITS file"), reason("00003_nrs1_rate.fits"))
        XCTAssertTrue(reason(unknown.name).contains("NRS_SOMETHINGNEW"), reason(unknown.name))
        XCTAssertTrue(reason(secret.name).contains("outside the inbox"), reason(secret.name))
        XCTAssertTrue(reason("00007_nrs1_rate.fits").contains("empty file"), reason("00007_nrs1_rate.fits"))
        XCTAssertNil(report.skipped.first { $0.path.hasSuffix(growing.name) }, "the growing file was taken only when complete")

        let products = harness.products()
        XCTAssertEqual(products.count, 3, "\(products)")
        XCTAssertTrue(
            products.contains {
                $0.hasPrefix("04242/") && !$0.dropFirst(6).contains("/") && !$0.contains("..")
                    && $0.hasSuffix("tmp_evil_jw04242001001_03101_00006_nrs1_scicopy.fits")
            }, "\(products)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/evil_jw04242001001_03101_00006_nrs1_scicopy.fits"))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: harness.root).sorted(),
            ["elsewhere", "failed", "inbox", "outbox", "state", "webbflow.toml"].filter {
                FileManager.default.fileExists(atPath: "\(harness.root)/\($0)")
            }, "nothing written beside the outbox")
    }
}
