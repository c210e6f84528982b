import Numerics
import XCTest

/// The sorting sigma clip must give the statistics of the reference implementation (`sigmaClipped`).
final class SortedSigmaClippingTests: XCTestCase {
    func testMatchesSigmaClippedOnSkewedDataWithOutliersAndNaN() throws {
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var values: [Float] = (0..<20_001).map { _ in
            // Gaussian noise (Box–Muller) on an offset, a bright tail, and some NaN.
            let g = (-2 * log(uniform() + 1e-300)).squareRoot() * cos(2 * Double.pi * uniform())
            let u = uniform()
            return u < 0.02 ? .nan : u < 0.1 ? Float(50 + 500 * uniform()) : Float(-0.3 + 1.7 * g)
        }
        let expected = try XCTUnwrap(RobustStatistics.sigmaClipped(values))
        let got = try XCTUnwrap(RobustStatistics.sigmaClippedSorting(&values))
        XCTAssertEqual(values, values.filter(\.isFinite).sorted(), "the finite values, sorted")
        XCTAssertEqual(got.count, expected.count)
        // Same kept set; only summation order differs (relative 1e-12 is far above Double round-off for 2e4 values).
        XCTAssertEqual(got.median, expected.median)
        XCTAssertEqual(got.mean, expected.mean, accuracy: 1e-12 * max(1, abs(expected.mean)))
        XCTAssertEqual(got.standardDeviation, expected.standardDeviation, accuracy: 1e-12 * expected.standardDeviation)
        XCTAssertLessThan(expected.count, 18_500, "the tail must have been clipped for this to test anything")
    }

    func testEmptyAndAllNaN() {
        var none: [Float] = []
        var nans: [Float] = [.nan, .infinity]
        XCTAssertNil(RobustStatistics.sigmaClippedSorting(&none))
        XCTAssertNil(RobustStatistics.sigmaClippedSorting(&nans))
    }
}
