import FITS
import Foundation
import Pipeline
import XCTest

/// A program registered as a step in the configuration and run by the real daemon binary: its product is checked,
/// stamped and placed like a built-in step's; a non-zero exit, a timeout or a missing product is a failure for good
/// whose report holds the end of the program's output.
final class ExternalStepTests: XCTestCase {
    func testProgramRunsAsStepAndItsFailuresAreReported() async throws {
        let timeout = 2.0
        let tree = try ExternalStepTree(steps: [])
        try
            (try String(contentsOfFile: tree.config, encoding: .utf8)
            + [
                tree.step("copier", mode: "copy", types: ["NRS_IFU"], suffixes: ["rate"], writes: "cal"),
                tree.step("broken", mode: "fail", types: ["NRS_FIXEDSLIT"], suffixes: ["rate"], writes: "cal"),
                tree.step(
                    "stuck", mode: "hang", types: ["NRS_MSASPEC"], suffixes: ["rate"], writes: "cal", extra: "timeout_seconds = \(timeout)"),
                tree.step("silent", mode: "none", types: ["NRS_BRIGHTOBJ"], suffixes: ["rate"], writes: "cal"),
            ].joined(separator: "\n")).write(toFile: tree.config, atomically: true, encoding: .utf8)
        var inputs: [String: String] = [:]
        for (exposure, type) in ["NRS_IFU", "NRS_FIXEDSLIT", "NRS_MSASPEC", "NRS_BRIGHTOBJ"].enumerated() {
            let file = try TestExposures.bytes(exposure: exposure + 1, type: type)
            try file.data.write(to: URL(fileURLWithPath: "\(tree.inbox)/\(file.name)"))
            inputs[type] = file.name
        }
        let steps = try WebbflowBinary.output(["steps", "--config", tree.config])
        XCTAssertTrue(steps.contains("copier — external program"), "webbflow steps lists the external steps:\n\(steps)")
        let verdicts = try WebbflowBinary.output(["classify", "--config", tree.config, tree.inbox])
        XCTAssertTrue(verdicts.contains("copier") && verdicts.contains("stuck"), "classify routes to them:\n\(verdicts)")

        let started = Date()
        try await tree.runUntilIdle()
        let elapsed = Date().timeIntervalSince(started)

        // Success: the program's copy, stamped with provenance, placed in the program's outbox folder.
        let input = "\(tree.inbox)/\(try XCTUnwrap(inputs["NRS_IFU"]))"
        let productName = ProductName(input).product(suffix: "cal")
        let product = tree.product(productName)
        XCTAssertTrue(FITSStructure.inspect(product).isComplete, "the product is in place\n\(tree.logText.suffix(3000))")
        let written = try Exposure.load(product)
        XCTAssertEqual(written.primaryHeader.string("WBF_STEP"), "copier")
        XCTAssertEqual(written.primaryHeader.string("WBFHS1"), try ContentHash.of(path: input), "provenance names the input's content")
        XCTAssertEqual(
            try written.floatImage("SCI").pixels, try Exposure.load(input).floatImage("SCI").pixels, "the program's pixels, unchanged")
        // Its output went to the log with the job's fields.
        let said = tree.logText.split(separator: "\n").first { $0.contains("external copy on \(inputs["NRS_IFU"]!)") }
        XCTAssertTrue(
            said?.contains("WEBBFLOW_STEP=copier") == true && said?.contains("WEBBFLOW_JOB=") == true,
            "the program's output is logged with the job's fields: \(said ?? "not logged")")

        // Failures: each one's report holds the reason and the end of the program's output.
        func report(_ step: String, _ type: String) throws -> String {
            let path = "\(tree.failed)/\(step)-\(try XCTUnwrap(inputs[type])).error.json"
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let broken = try report("broken", "NRS_FIXEDSLIT")
        XCTAssertTrue(broken.contains("exited(3)") && broken.contains("cannot calibrate: reference file missing"), broken)
        let stuck = try report("stuck", "NRS_MSASPEC")
        XCTAssertTrue(stuck.contains("timeout") && stuck.contains("external hang on"), stuck)
        let silent = try report("silent", "NRS_BRIGHTOBJ")
        XCTAssertTrue(silent.contains("wrote no *_cal.fits product") && silent.contains("nothing to write"), silent)

        // The timeout killed the program's whole process group, its child included, well before its 300 s sleep.
        XCTAssertLessThan(elapsed, 60, "the hung program was stopped at its timeout")
        let child = try XCTUnwrap(
            Int32(
                try String(contentsOfFile: tree.ledger + ".child", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Gone, or dead and waiting for init to reap it (a zombie: state Z in /proc/PID/stat).
        let stat = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
        let processState = stat.range(of: ") ").map { stat[$0.upperBound...].prefix(1) } ?? ""
        XCTAssertTrue(stat.isEmpty || processState == "Z", "the hung program's child was killed with it: \(stat)")
        XCTAssertEqual(
            tree.runs.sorted(), ["copy \(inputs["NRS_IFU"]!)", "none \(inputs["NRS_BRIGHTOBJ"]!)"],
            "each program ran once; the failing and the hung one never reached their end")
        XCTAssertEqual(
            try tree.query("SELECT step, state FROM jobs ORDER BY step"),
            ["broken\tfailed", "copier\tdone", "silent\tfailed", "stuck\tfailed"])
    }
}
