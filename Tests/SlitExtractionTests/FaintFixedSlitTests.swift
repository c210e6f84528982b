import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import SlitExtraction
import XCTest

/// A fixed-slit point source too faint to find nod by nod (no column block of any nod shows it 5σ above the
/// slit's level) is placed from the nod pattern its headers record (SRCYPOS) and extracted; the product says so.
final class FaintFixedSlitTests: XCTestCase {
    /// Three nods of the simulator's S200A1 point source at a peak S/N of 1 per pixel.
    static let faint = ["peak_snr=1"]

    /// Against the truth at low S/N: the traces where the truth has them, and a flux without bias — the error-weighted
    /// ratio of the spectrum to the truth within three standard errors of 1 — more accurate than the box. The smoothness
    /// prior correlates neighbouring samples, so the standard error is taken from the spread of the ratio over ten
    /// stretches of the spectrum, not from the quoted per-sample errors as if they were independent.
    func testAFaintPointSourceIsExtractedAtItsHeaderPosition() throws {
        let files = try NIRSpecFixedSlitRecipe().generate(seed: 52, assignments: Self.faint)
        let s = try SlitScenario(files: files, version: 1)
        XCTAssertTrue(s.result.placedFromHeaders, "the source must be too faint for the trace search")
        for (fit, truth) in zip(s.result.traceCentres, s.trueTraceCentres) { XCTAssertEqual(fit, truth, accuracy: 0.3) }
        let jy = s.inputs[0].toJansky
        func ratio(_ samples: some Sequence<Int>) -> Double {
            var numerator = 0.0, denominator = 0.0
            for i in samples {
                let truth = s.truthFlux(at: s.result.wavelength[i]), variance = pow(s.result.fluxError[i] * jy, 2)
                numerator += s.result.flux[i] * jy * truth / variance
                denominator += truth * truth / variance
            }
            return numerator / denominator
        }
        let samples = Array(s.comparedSamples), stretch = samples.count / 10
        let stretches = (0..<10).map { ratio(samples[($0 * stretch)..<(($0 + 1) * stretch)]) }
        let mean = stretches.reduce(0, +) / 10
        let standardError = (stretches.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 9).squareRoot() / 10.0.squareRoot()
        let overall = ratio(samples)
        XCTAssertEqual(overall, 1, accuracy: 3 * standardError, "flux ratio to the truth \(overall) ± \(standardError)")
        XCTAssertLessThan(s.spectrumError, s.boxError, "fit \(s.spectrumError) vs box \(s.boxError)")
    }

    /// The step writes the spectrum with TRCPLACE = 'HEADERS'; without SRCYPOS the same nods are skipped as sourceless.
    func testTheProductSaysTheTracesCameFromTheHeaders() async throws {
        let inputs = try NIRSpecFixedSlitRecipe().generate(seed: 52, assignments: Self.faint).map(\.exposure)
        let parameters = try AssetStep().manifest.values([])
        let context = StepContext(logger: Logger(label: "test.faint"))
        let products = try await AssetStep().run(inputs, parameters: parameters, context: context)
        let product = try XCTUnwrap(products.first)
        XCTAssertEqual(product.hdus.hdu(named: "WBF_PSF")?.header.string("TRCPLACE"), "HEADERS")
        let unplaced = inputs.map { input in
            var exposure = input
            if let sci = exposure.hdus.index(named: "SCI") { exposure.hdus[sci].header.remove("SRCYPOS") }
            return exposure
        }
        do {
            _ = try await AssetStep().run(unplaced, parameters: parameters, context: context)
            XCTFail("without a header position the faint source cannot be placed")
        } catch {
            XCTAssertTrue("\(error)".contains("no source found"), "\(error)")
        }
    }
}
