import FITS
import Foundation
import Simulator
import TestSupport
import XCTest

/// `webbflow process --timings`: the real executable on simulated full-frame rate files prints, per job, where
/// the job's time went, in the `timing <phase> <seconds>` lines benchmarks parse.
final class TimingsTests: XCTestCase {
    static let phases = ["read", "checksum", "decode", "compute", "encode", "write", "fsync"]

    func testEveryJobReportsPhasesThatAddUpToAtMostItsTotal() throws {
        guard FileManager.default.isExecutableFile(atPath: CommandLineTests.executable) else {
            throw XCTSkip("webbflow is not built beside the tests (\(CommandLineTests.executable))")
        }
        let folder = try TemporaryDirectory("webbflow-timings")
        var inputs: [String] = []
        for detector in ["NRS1", "NRS2"] {
            let file = try NIRSpecRateRecipe().generate(seed: 5, assignments: ["detector=\(detector)"])[0]
            let path = "\(folder.path)/\(file.exposure.name.fileName)"
            try FITSWriter.write(file.exposure.hdus, to: path)
            inputs.append(path)
        }

        let timed = try XCTUnwrap(
            ExternalTool.run(
                CommandLineTests.executable,
                ["process", "--step", "nsclean", "--no-pictures", "--timings", "--out", "\(folder.path)/out"] + inputs))
        XCTAssertTrue(timed.succeeded, timed.description)
        let lines = timed.output.split(separator: "\n").filter { $0.hasPrefix("timing ") }.map { $0.split(separator: " ") }
        XCTAssertEqual(lines.count, 2 * (Self.phases.count + 1), timed.output)
        for job in 0..<2 {
            let report = lines.dropFirst(job * (Self.phases.count + 1)).prefix(Self.phases.count + 1)
            XCTAssertEqual(report.map { String($0[1]) }, Self.phases + ["total"], timed.output)
            let seconds = report.map { Double($0[2]) ?? -1 }
            let total = try XCTUnwrap(seconds.last)
            // Every phase happens in an NSClean job on a full frame (a mapped read at least maps the file), so each
            // has some time; together they cannot exceed the job's wall time, which they split.
            for (phase, value) in zip(Self.phases, seconds) { XCTAssertGreaterThan(value, 0, "\(phase) of job \(job + 1)") }
            XCTAssertLessThanOrEqual(seconds.dropLast().reduce(0, +), total + 1e-6, timed.output)
        }

        let quiet = try XCTUnwrap(
            ExternalTool.run(
                CommandLineTests.executable,
                ["process", "--step", "nsclean", "--no-pictures", "--out", "\(folder.path)/again"] + inputs))
        XCTAssertTrue(quiet.succeeded, quiet.description)
        XCTAssertFalse(quiet.output.contains("timing "), "timings are off by default")

        let help = try XCTUnwrap(ExternalTool.run(CommandLineTests.executable, ["process", "--help"]))
        XCTAssertTrue(help.output.contains("--timings"), help.output)
    }
}
