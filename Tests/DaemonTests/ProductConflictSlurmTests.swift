import Daemon
import FITS
import Foundation
import Pipeline
import XCTest

/// Two inputs that would write one product path, through the real daemon binary and a real one-node Slurm cluster:
/// the second is refused with `ProductConflict` as under the local executor, though both ran on the node at once.
final class ProductConflictSlurmTests: XCTestCase {
    func testTheSameExposureInTwoFoldersIsRefusedOnceThroughSlurm() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        var inputs: [String] = []
        for (folder, target) in [("download1", "FIRST"), ("download2", "SECOND")] {
            let file = try TestExposures.bytes(exposure: 1, target: target)
            try FileManager.default.createDirectory(atPath: "\(tree.inbox)/\(folder)", withIntermediateDirectories: true)
            inputs.append("\(tree.inbox)/\(folder)/\(file.name)")
            try file.data.write(to: URL(fileURLWithPath: inputs.last!))
        }
        try tree.writeConfig()
        let daemon = try tree.startDaemon(exitWhenIdle: true)
        let finished = try await WebbflowBinary.wait(daemon, timeout: 300)
        XCTAssertTrue(finished, "the daemon finished\n\(tree.log("daemon.log"))")

        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertEqual(report.steps.first { $0.step == "nsclean" }?.done, 1, "one job made the product: \(report.steps)")
        let refused = try XCTUnwrap(report.failed.first, "the other job is refused\n\(tree.log("daemon.log"))")
        let error = try XCTUnwrap(refused.error)
        XCTAssertTrue(
            error.contains("conflict") && error.contains(inputs[0]) && error.contains(inputs[1]), "both paths are named: \(error)")
        XCTAssertEqual(refused.attempts, 1, "a conflict is not retried")
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: "\(tree.failed)/nsclean-\((inputs[0] as NSString).lastPathComponent).error.json"),
            "the refusal has its failure report")
        // Both ran on the node; only the first to be accepted is in the outbox, and it is the one recorded.
        XCTAssertEqual(try tree.submissions().map(\.endState), ["COMPLETED", "COMPLETED"])
        let products = tree.products(in: tree.outbox)
        XCTAssertEqual(products.count, 1, "\(products)")
        XCTAssertEqual(report.productCount, 1)
        let winner = try XCTUnwrap(inputs.first { $0 != refused.inputs.first })
        let product = try Exposure.load("\(tree.outbox)/\(products[0])")
        XCTAssertEqual(product.primaryHeader.string("WBFHS1"), try ContentHash.of(path: winner), "the product is the accepted job's")
        let pictures = (FileManager.default.enumerator(atPath: tree.outbox)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".png") }
        XCTAssertEqual(pictures, [JobRunner.picturePath(besideProductAt: products[0])], "the accepted product's picture came with it")
        XCTAssertEqual(tree.stagedEntries(), [], "the refused product is not left staged")
        XCTAssertEqual(tree.spoolEntries().filter { !$0.hasSuffix(".out") }, [], "only the refused attempt's output stays")
    }
}
