import Daemon
import Foundation
import XCTest

/// Two inputs that would write one product path: the second is refused with both paths in its reason, never a
/// silent overwrite.
final class ProductConflictTests: XCTestCase {
    func testTheSameExposureInTwoFoldersIsAConflictRecordedWithBothPaths() async throws {
        let tree = try DaemonTree("webbflow-collision")
        let first = try tree.put(exposure: 1, target: "FIRST", folder: "download1")
        let second = try tree.put(exposure: 1, target: "SECOND", folder: "download2")
        try await tree.runUntilIdle()

        let report = try tree.status()
        XCTAssertEqual(tree.products().count, 1)
        XCTAssertEqual(report.productCount, 1, "one product, recorded once")
        XCTAssertEqual(report.steps.first { $0.step == "nsclean" }?.done, 1, "one job made it")
        let refused = try XCTUnwrap(report.failed.first, "the other job is refused\n\(tree.log.suffix(3000))")
        let error = try XCTUnwrap(refused.error)
        XCTAssertTrue(error.contains("conflict") && error.contains(first) && error.contains(second), "both paths are named: \(error)")
        XCTAssertEqual(refused.attempts, 1, "a conflict is not retried")

        // Processing a new version of the same input again is no conflict.
        let winner = refused.inputs == [first] ? second : first
        try TestExposures.writeInPlace(try TestExposures.bytes(exposure: 1, target: "THIRD").data, to: winner)
        try await tree.runUntilIdle()
        XCTAssertEqual(try tree.status().steps.first { $0.step == "nsclean" }?.done, 2)
    }
}
