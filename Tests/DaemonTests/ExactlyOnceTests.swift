import Daemon
import FITS
import Foundation
import XCTest

/// Exactly once across the rename: a daemon killed between placing a product and recording it does not run the job
/// again at its restart, because it recorded the product as pending before the rename and finds it in place, made
/// from the job's inputs.
final class ExactlyOnceTests: XCTestCase {
    func testKillNineRightAfterTheProductsRenameDoesNotRunTheJobAgain() async throws {
        let tree = try DaemonTree("webbflow-rename")
        var inputs: [String] = []
        // One file per round, each daemon killed the moment its product appears under its final name.
        for exposure in 1...3 {
            let input = try tree.put(exposure: exposure)
            inputs.append((input as NSString).lastPathComponent)
            let daemon = try tree.start()
            let deadline = Date().addingTimeInterval(120)
            while tree.product(of: input) == nil, daemon.isRunning, Date() < deadline { usleep(200) }
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
            XCTAssertNotNil(tree.product(of: input), "round \(exposure): the product was placed before the kill")
        }
        try await tree.runUntilIdle()

        for input in inputs {
            XCTAssertEqual(
                tree.occurrences("nsclean started on \(input)"), 1, "\(input) was processed exactly once\n\(tree.log.suffix(3000))")
        }
        let report = try tree.status()
        XCTAssertEqual(report.steps.first { $0.step == "nsclean" }?.done, 3, "every job is recorded as done")
        XCTAssertEqual(report.productCount, 3)
        for product in tree.products() {
            XCTAssertTrue(FITSStructure.inspect("\(tree.outbox)/\(product)").isComplete, "\(product) is whole")
        }
    }
}
