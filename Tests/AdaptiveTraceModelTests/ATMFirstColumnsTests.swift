import XCTest

@testable import AdaptiveTraceModel

/// Columns fitted before any column of a region has a model. When the first windows sample the slice's sub-pixel
/// phases too sparsely for the region's knots (the gap rule), the reference tries again with three knots fewer
/// rather than leave those columns to linear interpolation; so does the step, and the model it gets there
/// follows the true profile.
final class ATMFirstColumnsTests: XCTestCase {
    /// A 200-column MIRI MRS-like region, 20 pixels tall, holding a Gaussian profile centred at alpha 0. Columns
    /// below 120 sample only two sub-pixel phases, 0 and 0.32 pixel, whose alternating spacings (0.32, 0.68) are
    /// wider than 1.2 knot spacings with 36 knots (0.64) and narrower than with 33 (0.70); from column 120 on, the
    /// phases step by a tenth of a pixel.
    private let layout = FrameLayout(width: 200, height: 24, sliceAxisIsFast: false)
    private let sigma = 1.5

    private func phase(_ x: Int) -> Double { x < 120 ? (x.isMultiple(of: 2) ? 0 : 0.32) : Double(x % 10) / 10 }
    private func alpha(_ x: Int, _ y: Int) -> Double { Double(y) - 11.5 + phase(x) }
    private func profile(_ a: Double) -> Double { exp(-a * a / (2 * sigma * sigma)) }

    func testTheFirstColumnsGetAModelThatFollowsTheTrueProfile() throws {
        var regions = [Int32](repeating: 0, count: layout.count)
        var alphas = [Float](repeating: .nan, count: layout.count), flux = alphas
        for x in 0..<layout.width {
            for y in 2...21 {
                let i = layout.index(x, y)
                regions[i] = 1
                alphas[i] = Float(alpha(x, y))
                flux[i] = Float(1000 * profile(alpha(x, y)) + 5)
            }
        }
        let span = try XCTUnwrap(RegionSpan.all(regions: regions, layout: layout).first)
        let settings = TraceModelSettings(mode: .miriMRS)
        let model = try RegionProfileFit.fit(
            span: span, flux: flux, alpha: alphas, layout: layout, settings: settings, peakThreshold: nil
        ).get()

        let unmodelled = (0..<layout.width).filter { !model.hasModel($0) }
        XCTAssertEqual(unmodelled, [], "columns left to linear interpolation")
        XCTAssertEqual(model.firstModelIntervals, 33, "the first column's model is the retry's, as the reference counts its knots")
        // The retry's model against the truth between the native pixels of the first column, where oversampling
        // needs it, beside linear interpolation of the column's own samples: the step's accuracy target is half the
        // interpolation's rms error or better.
        let sum = (2...21).map { 1000 * profile(alpha(0, $0)) + 5 }.reduce(0, +)
        let truth = { (a: Double) in (1000 * self.profile(a) + 5) / sum }
        var modelSquares = 0.0, linearSquares = 0.0
        for y in 3...19 {
            for step in [1.0 / 3, 2.0 / 3] {
                let a = alpha(0, y) + step
                let linear = truth(alpha(0, y)) * (1 - step) + truth(alpha(0, y + 1)) * step
                modelSquares += pow(model.profile(0, at: a) - truth(a), 2)
                linearSquares += pow(linear - truth(a), 2)
            }
        }
        XCTAssertLessThanOrEqual(sqrt(modelSquares / linearSquares), 0.5, "rms error of the model / of linear interpolation")
    }
}
