import FITS
import Foundation
import Pipeline
import XCTest

/// Chains through the real daemon binary: NSClean's product taken by one external step, whose product another
/// takes; each product recorded with the job that wrote it; a kill -9 in the middle, then a restart, finishes the
/// chain and runs nothing twice.
final class ChainTests: XCTestCase {
    func testChainAfterNSCleanSurvivesKillNineAndRunsNothingTwice() async throws {
        let tree = try ExternalStepTree(steps: [])
        let chained = "accept_products = true\nenvironment = { DELAY = \"2\" }"
        try
            (try String(contentsOfFile: tree.config, encoding: .utf8)
            + [
                tree.step("spec2", mode: "copy", types: ["NRS_FIXEDSLIT"], suffixes: ["nsclean"], writes: "cal", extra: chained),
                tree.step("cube", mode: "copy", types: ["NRS_FIXEDSLIT"], suffixes: ["cal"], writes: "s3d", extra: chained),
            ].joined(separator: "\n")).write(toFile: tree.config, atomically: true, encoding: .utf8)
        _ = try WebbflowBinary.output([
            "simulate", "nirspec-rate", "--out", tree.inbox, "--seed", "5",
            "--set", "mode=fixedslit", "--set", "subarray=SUBS200A1",
        ])
        let rate = try XCTUnwrap((try FileManager.default.contentsOfDirectory(atPath: tree.inbox)).first { $0.hasSuffix("_rate.fits") })
        let name = ProductName(rate)

        // Killed while the second external step runs (its program sleeps 2 s before writing).
        let first = try WebbflowBinary.start(["run", "--config", tree.config], log: tree.log)
        let deadline = Date().addingTimeInterval(120)
        while !tree.logText.contains("cube runs "), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertTrue(
            tree.logText.contains("cube runs "), "the chain reached its second step before the kill\n\(tree.logText.suffix(3000))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.product(name.product(suffix: "s3d"))), "killed before the end")

        try await tree.runUntilIdle()

        let cleaned = tree.product(name.product(suffix: "nsclean"))
        let calibrated = tree.product(name.product(suffix: "cal"))
        let cube = tree.product(name.product(suffix: "s3d"))
        for (path, step) in [(cleaned, "nsclean"), (calibrated, "spec2"), (cube, "cube")] {
            XCTAssertTrue(FITSStructure.inspect(path).isComplete, "\(path) is whole\n\(tree.logText.suffix(3000))")
            XCTAssertEqual(try FITSFile(path: path).header(at: 0).string("WBF_STEP"), step)
        }
        // Each link's provenance names the content of the link before it.
        XCTAssertEqual(try FITSFile(path: calibrated).header(at: 0).string("WBFHS1"), try ContentHash.of(path: cleaned))
        XCTAssertEqual(try FITSFile(path: cube).header(at: 0).string("WBFHS1"), try ContentHash.of(path: calibrated))

        XCTAssertEqual(
            tree.runs, ["copy \(name.product(suffix: "nsclean"))", "copy \(name.product(suffix: "cal"))"],
            "each external program finished exactly once, the one killed with the daemon included")
        XCTAssertEqual(
            try tree.query("SELECT step, state, COUNT(*) FROM jobs GROUP BY step, state ORDER BY step"),
            ["cube\tdone\t1", "nsclean\tdone\t1", "spec2\tdone\t1"], "one job per link, each done")
        XCTAssertEqual(
            try tree.query(
                """
                SELECT f.path, j.step, f.state FROM files f JOIN jobs j ON j.id = f.parent_job ORDER BY f.id
                """), ["\(cleaned)\tnsclean\trouted", "\(calibrated)\tspec2\trouted", "\(cube)\tcube\tskipped"],
            "each product recorded once, with the job that wrote it as its parent")
    }

    /// A chain can end in a built-in step told to take products: a program standing in for jwst's spec2 turns the
    /// downloaded IFU rate file into a `_cal` product, which the built-in ATM takes.
    func testChainEndsInABuiltInStepThatTakesProducts() async throws {
        let tree = try ExternalStepTree(steps: [])
        let calibrated = "\(tree.root)/calibrated"
        _ = try WebbflowBinary.output(["simulate", "nirspec-ifu-cal", "--out", calibrated, "--seed", "3"])
        let cal =
            "\(calibrated)/\(try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: calibrated).first { $0.hasSuffix("_cal.fits") }))"
        try
            (try String(contentsOfFile: tree.config, encoding: .utf8) + """
                [[external_steps]]
                name = "spec2"
                command = ["/bin/sh", "-c", 'cp "$0" "$1/$(basename "$2" _rate.fits)_cal.fits"', "\(cal)", "{outdir}", "{inputs}"]
                instruments = ["NIRSPEC"]
                exposure_types = ["NRS_IFU"]
                suffixes = ["rate"]
                product_suffix = "cal"

                [steps.atm]
                accept_products = true
                oversample = 2

                """).write(toFile: tree.config, atomically: true, encoding: .utf8)
        _ = try WebbflowBinary.output(["simulate", "nirspec-rate", "--out", tree.inbox, "--seed", "5", "--set", "mode=ifu"])
        let rate = try XCTUnwrap((try FileManager.default.contentsOfDirectory(atPath: tree.inbox)).first { $0.hasSuffix("_rate.fits") })
        let name = ProductName(rate)

        try await tree.runUntilIdle()

        let calProduct = tree.product(name.product(suffix: "cal")), model = tree.product(name.product(suffix: "atm"))
        XCTAssertTrue(FITSStructure.inspect(model).isComplete, "the built-in step's product is there\n\(tree.logText.suffix(3000))")
        let primary = try FITSFile(path: model).header(at: 0)
        XCTAssertEqual(primary.string("WBF_STEP"), "atm")
        XCTAssertEqual(primary.string("WBFHS1"), try ContentHash.of(path: calProduct), "provenance names the product it took")
        XCTAssertEqual(
            try FITSFile(path: model).readAll().hdu(named: "SCI")?.imageAxes, [2048, 2 * 2048], "oversampled by the configured factor")
        XCTAssertEqual(
            try tree.query("SELECT step, state, COUNT(*) FROM jobs GROUP BY step, state ORDER BY step"), ["atm\tdone\t1", "spec2\tdone\t1"])
        XCTAssertEqual(
            try tree.query("SELECT f.path, j.step, f.state FROM files f JOIN jobs j ON j.id = f.parent_job ORDER BY f.id"),
            ["\(calProduct)\tspec2\trouted", "\(model)\tatm\tskipped"], "the cal product taken by atm, whose product ends the chain")
    }

    func testCycleOfRoutesIsRefusedAtLoad() async throws {
        let tree = try ExternalStepTree(steps: [])
        try
            (try String(contentsOfFile: tree.config, encoding: .utf8)
            + [
                tree.step("there", mode: "copy", types: ["NRS_IFU"], suffixes: ["cal"], writes: "s3d", extra: "accept_products = true"),
                tree.step("back", mode: "copy", types: ["NRS_IFU"], suffixes: ["s3d"], writes: "cal", extra: "accept_products = true"),
            ].joined(separator: "\n")).write(toFile: tree.config, atomically: true, encoding: .utf8)
        let daemon = try WebbflowBinary.start(["run", "--config", tree.config], log: tree.log)
        let stopped = try await WebbflowBinary.wait(daemon, timeout: 30)
        XCTAssertTrue(stopped && daemon.terminationStatus != 0, "the daemon refuses to start")
        XCTAssertTrue(tree.logText.contains("steps form a cycle: there → back → there"), tree.logText)
    }
}
