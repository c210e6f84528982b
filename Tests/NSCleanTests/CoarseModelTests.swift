import Simulator
import XCTest

@testable import NSClean

/// The coarse first model, fitted to 4-px bin means, against the truth and the full-resolution fit.
final class CoarseModelTests: XCTestCase {
    /// Lines of smooth banding (frequencies the model holds) plus white noise, background in bands as between IFU
    /// slices: the coarse model must recover the banding as well as the full-resolution fit does.
    func testBinnedFitRecoversBandingLikeTheFullFit() {
        let n = 2048, lineCount = 16, sigma: Float = 0.01
        var random = SeededRandom(seed: 7)
        var truth: [Float] = [], noisy: [Float] = []
        for line in 0..<lineCount {
            for m in 0..<n {
                let t = 2 * Double.pi * Double(m) / Double(n)
                let banding = Float(0.02 * cos(t + Double(line)) - 0.015 * sin(3 * t) + 0.01 * cos(6 * t + 0.3 * Double(line)))
                truth.append(banding)
                noisy.append(banding + sigma * Float(random.gaussian()))
            }
        }
        let background = (0..<(lineCount * n)).map { i -> UInt8 in (i % n / 48) % 3 == 0 ? 0 : 1 }
        let layout = LineLayout.lines(lineCount, of: n)
        let options = CleaningOptions()
        let coarseFitter = CoarseModel.fitter(layout: layout, options: options)
        XCTAssertEqual(coarseFitter.binning, 4)
        XCTAssertEqual(coarseFitter.lineLength, n / 4)
        let coarse = CoarseModel.fit(noisy, background: background, layout: layout, fitter: coarseFitter)
        let full = FlickerCleaner.fitLines(
            values: noisy, background: background, layout: layout,
            fitter: LineFitter(lineLength: n, clipSigma: 0)
        ).model
        func rms(_ a: [Float], _ b: [Float]) -> Float {
            (zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Float(a.count)).squareRoot()
        }
        // The model's own noise is ~sigma·√(17 parameters / 1365 samples) ≈ 0.11 sigma per line; binning adds
        // only the interpolation error (~0.1 % of 0.045) and the slightly different weighting.
        XCTAssertLessThan(rms(full, truth), 0.15 * sigma)
        XCTAssertLessThan(rms(coarse, truth), 0.15 * sigma)
        XCTAssertLessThan(rms(coarse, full), 0.05 * sigma)
    }

    func testLinesThatAreNotWholeBinsAreFittedPixelByPixel() {
        let layout = LineLayout.lines(4, of: 30)
        let fitter = CoarseModel.fitter(layout: layout, options: CleaningOptions())
        XCTAssertEqual(fitter.binning, 1)
        XCTAssertEqual(fitter.lineLength, 30)
        let values = (0..<120).map { Float($0 % 30) * 0.001 + 0.5 }
        let model = CoarseModel.fit(values, background: [UInt8](repeating: 1, count: 120), layout: layout, fitter: fitter)
        XCTAssertEqual(model.count, 120)
        // A 30-px line fits its mean only.
        XCTAssertEqual(Double(model[0]), 0.5145, accuracy: 1e-3)
    }
}
