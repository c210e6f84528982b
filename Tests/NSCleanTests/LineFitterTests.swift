import Foundation
import NSClean
import XCTest

/// The per-line fit and the apodizer on synthetic lines with known answers.
final class LineFitterTests: XCTestCase {
    func testApodizerMatchesReferenceOnFullLineAndShrinksForSubarrays() {
        XCTAssertEqual(Apodizer(lineLength: 2048, fullFrameFrequencies: 9).gains, [1, 1, 1, 1, 1, 1, 1, 1, 0.5])
        XCTAssertEqual(Apodizer(lineLength: 64, fullFrameFrequencies: 9).gains, [1])
        XCTAssertEqual(Apodizer(lineLength: 1024, fullFrameFrequencies: 9).count, 5)
    }

    /// A noiseless background made of frequencies the model holds at full gain (k ≤ 7) must be recovered
    /// exactly (to float rounding) from a line with large gaps, whatever the weights.
    func testRecoversLowFrequencyBackgroundThroughGaps() {
        let n = 2048
        let fitter = LineFitter(lineLength: n)
        let truth = (0..<n).map { m -> Float in
            let t = 2 * Double.pi * Double(m) / Double(n)
            return Float(0.3 + 0.2 * cos(t) - 0.1 * sin(3 * t) + 0.05 * cos(7 * t + 1))
        }
        // Background only in scattered bands, as between IFU slices.
        let background = (0..<n).map { m -> UInt8 in (m / 40) % 3 == 0 || m < 100 ? 1 : 0 }
        var model = [Float](repeating: 0, count: n)
        let scratch = LineFitter.Scratch(for: fitter)
        let outcome = truth.withUnsafeBufferPointer { v in
            background.withUnsafeBufferPointer { b in
                model.withUnsafeMutableBufferPointer { fitter.fit(values: v, background: b, model: $0, scratch: scratch) }
            }
        }
        XCTAssertEqual(outcome, .fitted)
        let worst = zip(model, truth).map { abs($0 - $1) }.max()!
        // Exact but for the fitter's ridge (1e-3 on the unit-scaled normal equations), which shrinks the
        // coefficients by ~0.1 %: the error stays below twice that of the 0.65 peak of the background.
        XCTAssertLessThan(worst, 2 * 1e-3 * 0.65)
    }

    func testLineWithoutBackgroundGetsZeroModel() {
        let fitter = LineFitter(lineLength: 256)
        let values = [Float](repeating: 1, count: 256)
        let background = [UInt8](repeating: 0, count: 256)
        var model = [Float](repeating: 9, count: 256)
        let outcome = values.withUnsafeBufferPointer { v in
            background.withUnsafeBufferPointer { b in
                model.withUnsafeMutableBufferPointer {
                    fitter.fit(values: v, background: b, model: $0, scratch: LineFitter.Scratch(for: fitter))
                }
            }
        }
        XCTAssertEqual(outcome, .empty)
        XCTAssertEqual(model, [Float](repeating: 0, count: 256))
    }
}
