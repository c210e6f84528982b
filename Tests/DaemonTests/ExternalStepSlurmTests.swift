import Daemon
import FITS
import Foundation
import Pipeline
import XCTest

/// An external step (a program declared in the configuration) through the real daemon binary and a real one-node
/// Slurm cluster: the node runs it from the definition the job description carries, as the local executor does.
final class ExternalStepSlurmTests: XCTestCase {
    func testExternalStepThroughSlurmGivesTheLocalExecutorsProducts() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let local = try ExternalStepTree(steps: [])
        let copier = local.step("copier", mode: "copy", types: ["NRS_IFU"], suffixes: ["rate"], writes: "cal")
        // Without quick-look pictures under both executors: the setting reaches the nodes too.
        try ("pictures = false\n" + (try String(contentsOfFile: local.config, encoding: .utf8)) + copier).write(
            toFile: local.config, atomically: true, encoding: .utf8)
        let tree = try SlurmTree(cluster: cluster)
        var inputs: [String] = []
        for exposure in 1...2 {
            let file = try TestExposures.bytes(exposure: exposure)
            try file.data.write(to: URL(fileURLWithPath: "\(local.inbox)/\(file.name)"))
            try file.data.write(to: URL(fileURLWithPath: "\(tree.inbox)/\(file.name)"))
            inputs.append(file.name)
        }
        try await local.runUntilIdle()

        try tree.writeConfig(settings: ["pictures = false"], tables: copier)
        let holder = cluster.occupyNode(seconds: 5)
        let daemon = try tree.startDaemon(exitWhenIdle: true)
        try await tree.waitUntil("both jobs are submitted to Slurm", timeout: 60) {
            try tree.submissions().filter { $0.slurmID != nil }.count == 2
        }
        // While the jobs wait in Slurm's queue the file changes: the nodes run what was submitted, as the daemon
        // keeps running what it started with until a restart.
        try tree.writeConfig(
            settings: ["pictures = false"],
            tables: local.step("copier", mode: "fail", types: ["NRS_IFU"], suffixes: ["rate"], writes: "cal"))
        let finished = try await WebbflowBinary.wait(daemon, timeout: 300)
        XCTAssertTrue(finished, "the Slurm run finished\n\(tree.log("daemon.log"))")
        cluster.command("scancel", [holder])

        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertTrue(report.failed.isEmpty, "no failure: \(report.failed)")
        XCTAssertEqual(report.steps.first { $0.step == "copier" }?.done, 2, "\(report.steps)")
        XCTAssertEqual(try tree.submissions().map(\.endState), ["COMPLETED", "COMPLETED"])
        XCTAssertEqual(
            local.runs.sorted(), inputs.flatMap { ["copy \($0)", "copy \($0)"] }.sorted(),
            "the program ran once per input under each executor")

        // The same products in the same places, and no pictures; the same science and the same provenance.
        let products = Self.files(in: local.outbox)
        XCTAssertEqual(products.filter { $0.hasSuffix("_cal.fits") }.count, 2, "\(products)")
        XCTAssertEqual(products.count, 2, "no pictures: \(products)")
        XCTAssertEqual(Self.files(in: tree.outbox), products)
        for product in products where product.hasSuffix(".fits") {
            let here = "\(local.outbox)/\(product)", there = "\(tree.outbox)/\(product)"
            let (a, b) = (try ScienceData(path: here), try ScienceData(path: there))
            XCTAssertEqual(b.units.map(\.name), a.units.map(\.name), product)
            for (x, y) in zip(a.units, b.units) { XCTAssertTrue(x.bytes == y.bytes, "\(product) \(x.name) is byte for byte the same") }
            let (mine, theirs) = (try Exposure.load(here).primaryHeader, try Exposure.load(there).primaryHeader)
            for keyword in ["WBF_STEP", "WBF_VER", "WBFIN1", "WBFHS1"] {
                XCTAssertNotNil(mine.string(keyword), "\(product) \(keyword)")
                XCTAssertEqual(theirs.string(keyword), mine.string(keyword), "\(product) \(keyword)")
            }
            XCTAssertEqual(theirs.string("WBF_STEP"), "copier")
            XCTAssertNil(theirs.string("WBF_PICT"), "\(product) names no picture")
        }
        // Nothing of the attempts is left: descriptions, scripts, outputs, outcomes, the program's work folders, the
        // staged products.
        XCTAssertEqual(tree.spoolEntries(), [], "the spool is empty")
        XCTAssertEqual(tree.stagedEntries(), [], "nothing is left staged")
    }

    /// The files under `folder`, relative to it, hidden ones (the staging folder) left out.
    private static func files(in folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { ($0.hasSuffix(".fits") || $0.hasSuffix(".png")) && !$0.hasPrefix(".") }.sorted()
    }
}
