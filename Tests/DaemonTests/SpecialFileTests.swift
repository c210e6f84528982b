import Daemon
import Foundation
import XCTest

/// A FIFO named like a JWST file is recorded with its reason instead of being ignored in silence (or opened,
/// which would block the intake until someone writes to it).
final class SpecialFileTests: XCTestCase {
    func testAFifoNamedLikeAJWSTFileIsRecordedWithItsReason() async throws {
        let tree = try DaemonTree("webbflow-fifo")
        let fifo = "\(tree.inbox)/jw04242001001_01101_00009_nrs1_rate.fits"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let real = try tree.put(exposure: 1)
        try await tree.runUntilIdle()

        let report = try tree.status()
        let recorded = try XCTUnwrap(report.skipped.first { $0.path == fifo }, "the FIFO is recorded\n\(tree.log.suffix(2000))")
        XCTAssertEqual(recorded.skipReason, "not-a-file")
        XCTAssertTrue(recorded.reason.contains("FIFO"), recorded.reason)
        XCTAssertNotNil(tree.product(of: real), "the real file is processed")
    }
}
