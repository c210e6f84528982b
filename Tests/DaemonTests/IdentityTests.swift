import Daemon
import FITS
import Foundation
import Pipeline
import XCTest

/// A duplicate is content that was taken successfully: skipped and failed versions never shadow another file,
/// failed work can be queued again, and a file changed back to earlier content is processed again.
final class IdentityTests: XCTestCase {
    func testABrowsersSkippedCopyArrivingFirstDoesNotShadowTheRealFile() async throws {
        let tree = try DaemonTree("webbflow-copy-first")
        let real = try TestExposures.bytes(exposure: 1)
        // `X_rate (1).fits`: the suffix is not a JWST product type, so the copy is skipped.
        let copy = real.name.replacingOccurrences(of: ".fits", with: " (1).fits")
        try TestExposures.writeInPlace(real.data, to: "\(tree.inbox)/\(copy)")
        try await tree.runUntilIdle()
        XCTAssertEqual(try tree.status().files, ["skipped": 1])

        try TestExposures.writeInPlace(real.data, to: "\(tree.inbox)/\(real.name)")
        try await tree.runUntilIdle()
        XCTAssertEqual(try tree.status().files, ["skipped": 1, "routed": 1], "the real file is taken, not called a duplicate")
        XCTAssertNotNil(tree.product(of: real.name), "and processed: \(tree.products())")
    }

    func testFailedWorkIsTakenAgainWhenTouchedOrRetried() async throws {
        let tree = try DaemonTree("webbflow-retry")
        // The outbox cannot take products (a file stands where its folder should be), as a full disk would refuse them.
        FileManager.default.createFile(atPath: tree.outbox, contents: Data("in the way".utf8))
        let touched = try tree.put(exposure: 1)
        let retried = try tree.put(exposure: 2)
        try await tree.runUntilIdle()
        XCTAssertEqual(try tree.status().failed.count, 2, "both jobs failed for good after their attempts")
        XCTAssertTrue(tree.products().isEmpty)

        try FileManager.default.removeItem(atPath: tree.outbox)
        let later = Date().addingTimeInterval(5)
        try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: touched)
        let help = try WebbflowBinary.output(["retry", "--help"])
        XCTAssertTrue(help.contains("--failed") && help.contains("job id"), "retry is documented: \(help)")
        let said = try WebbflowBinary.output(["retry", retried, "--state-dir", tree.state])
        XCTAssertTrue(said.contains("queued again: 1 job"), said)
        try await tree.runUntilIdle()

        XCTAssertNotNil(tree.product(of: touched), "the touched input is taken again, not called a duplicate: \(tree.log.suffix(2000))")
        XCTAssertNotNil(tree.product(of: retried), "the retried job ran")
        let report = try tree.status()
        XCTAssertEqual(report.files["duplicate"], nil)
        XCTAssertEqual(report.failed.count, 1, "only the touched file's first job stays failed (its new version has its own job)")
        XCTAssertEqual(report.failed.first?.inputs, [touched])
    }

    func testAFileChangedBackToEarlierContentIsProcessedAgain() async throws {
        let tree = try DaemonTree("webbflow-revert")
        let first = try TestExposures.bytes(exposure: 1, target: "FIRST")
        let second = try TestExposures.bytes(exposure: 1, target: "SECOND")
        let path = "\(tree.inbox)/\(first.name)"
        for version in [first.data, second.data, first.data] {
            try TestExposures.writeInPlace(version, to: path)
            try await tree.runUntilIdle()
        }
        let product = try XCTUnwrap(tree.product(of: first.name))
        let header = try FITSFile(path: "\(tree.outbox)/\(product)").header(at: 0)
        XCTAssertEqual(
            header.string("WBFHS1"), try ContentHash.of(path: path), "the outbox holds the product of the content now in the inbox")
        XCTAssertEqual(header.string("TARGNAME"), "FIRST")
    }
}
