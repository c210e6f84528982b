import Foundation
import Logging
import Pipeline
import Simulator
import SlitExtraction
import XCTest

/// The `bench/asset` figures: extraction time (median of repeated runs, inputs in memory) and accuracy against the
/// simulator's truth and against the box extraction. Runs only when WEBBFLOW_BENCH=1 (bench/asset sets it).
final class SlitBenchmark: XCTestCase {
    func testBenchmarkExtraction() throws {
        guard ProcessInfo.processInfo.environment["WEBBFLOW_BENCH"] == "1" else { throw XCTSkip("benchmark: run bench/asset") }
        let cases: [(String, any SimulationRecipe, [String], Double)] = [
            ("NIRSpec PRISM S200A1, 3 nods, 32x420", NIRSpecFixedSlitRecipe(), [], 0.3),
            ("NIRSpec PRISM S1600A1, 5 dithers, 32x420", NIRSpecFixedSlitRecipe(), ["slit=S1600A1", "dithers=5"], 0.5),
            ("MIRI LRS P750L, 2 nods, 44x380", MIRILRSRecipe(), [], .nan),
        ]
        for (label, recipe, sets, target) in cases {
            let scenario = try SlitScenario(recipe, seed: 2026, sets)
            let frames = scenario.inputs.map(\.frame)
            let times = try Self.sortedTimes(runs: 7) { _ = try SlitExtractor.extract(frames) }
            let offsets = zip(scenario.result.traceCentres, scenario.trueTraceCentres).map { abs($0 - $1) }.max()!
            print(
                String(
                    format: "%@: extraction %.3f s median (min %.3f)%@", label, times[3], times[0],
                    target.isNaN ? "" : String(format: ", target %.1f s", target)))
            print(
                String(
                    format:
                        "  spectrum rms vs truth %.4f, box %.4f (box/fit %.1fx), offsets max err %.4f px, PSF law max err %.2f%%, normalised residual spread %.2f, %d iterations",
                    scenario.spectrumError, scenario.boxError, scenario.boxError / scenario.spectrumError, offsets,
                    100 * scenario.psfLawError, scenario.normalisedResidualSpread, scenario.result.iterations))
        }
    }

    /// The step on a multi-slit observation: ALLSLITS, five slits (three with a source) × three nod-subtracted nods.
    func testBenchmarkMultiSlitStep() async throws {
        guard ProcessInfo.processInfo.environment["WEBBFLOW_BENCH"] == "1" else { throw XCTSkip("benchmark: run bench/asset") }
        let files = try NIRSpecFixedSlitRecipe().generate(seed: 2026, assignments: ["subarray=ALLSLITS", "nod_subtracted=true"])
        let inputs = files.map(\.exposure)
        let parameters = try AssetStep().manifest.values([])
        let context = StepContext(logger: Logger(label: "bench.multislit"))
        var times: [Double] = []
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try await AssetStep().run(inputs, parameters: parameters, context: context)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        times.sort()
        // The same files' S200A1 alone (its three nods, negative traces modelled), extraction only: the single-slit figure.
        let single = try files.map { try SlitInput($0.exposure, version: 1).frame }
        let singleTimes = try Self.sortedTimes(runs: 3) { _ = try SlitExtractor.extract(single) }
        print(
            String(
                format:
                    "NIRSpec PRISM ALLSLITS, 5 slits x 3 nod-subtracted nods (3 with a source): step %.3f s median (min %.3f); one slit (S200A1, 3 nods) %.3f s median",
                times[1], times[0], singleTimes[1]))
        for version in 1...3 {
            let scenario = try SlitScenario(files: files, version: version)
            print(
                String(
                    format: "  %@: spectrum rms vs truth %.4f, box %.4f (box/fit %.1fx), normalised residual spread %.2f",
                    scenario.truthHeader.string("SLTNAME")!, scenario.spectrumError, scenario.boxError,
                    scenario.boxError / scenario.spectrumError, scenario.normalisedResidualSpread))
        }
    }

    /// Wall times (s) of `runs` calls of `body`, fastest first.
    private static func sortedTimes(runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return times.sorted()
    }
}
