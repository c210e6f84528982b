import Numerics
import XCTest

final class RobustStatisticsTests: XCTestCase {
    func testMedianIgnoresNonFiniteValues() {
        XCTAssertEqual(RobustStatistics.median([3.0, .nan, 1, 2, .infinity]), 2)
        XCTAssertEqual(RobustStatistics.median([4.0, 1, 3, 2]), 2.5)
        XCTAssertNil(RobustStatistics.median([Double.nan]))
    }

    func testSigmaClippingRemovesOutliersLikeAstropy() throws {
        // 1000 values of a unit Gaussian-like ramp plus 10 gross outliers: clipping must return the clean spread.
        var values = (0..<1000).map { i in sin(Double(i) * 0.7) }
        values += Array(repeating: 50, count: 10)
        let stats = try XCTUnwrap(RobustStatistics.sigmaClipped(values))
        XCTAssertEqual(stats.count, 1000)
        XCTAssertEqual(stats.mean, values.prefix(1000).reduce(0, +) / 1000, accuracy: 1e-12)
        XCTAssertEqual(stats.standardDeviation, (0.5).squareRoot(), accuracy: 0.01, "rms of a sine is 1/sqrt(2)")
    }

    func testMADSigmaOfAGaussianSampleIsItsSigma() throws {
        var rng = SystemRandomNumberGenerator()
        let sample = (0..<20000).map { _ -> Double in
            let u = Double.random(in: 1e-12..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
            return 2 * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        // Standard error of the MAD estimator at n = 20000 is about 0.6%; 3% leaves a wide margin.
        XCTAssertEqual(try XCTUnwrap(RobustStatistics.madSigma(sample)), 2, accuracy: 0.06)
    }
}
