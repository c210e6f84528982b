import Simulator
import XCTest

@testable import NSClean

/// The dispersion smoothing of the automatic mask, against its definition summed box by box.
final class BackgroundMaskTests: XCTestCase {
    /// Random values with a third of the pixels unusable (NaN, zero or flagged) and one line entirely unusable, in
    /// both layouts: every output is the mean of the usable pixels of its box, or its own value when there are none.
    func testSmoothingIsTheMeanOfTheUsablePixelsInEachBox() {
        for linesAlongY in [true, false] {
            let width = 300, height = 40, length = 7, half = length / 2
            let layout = LineLayout(width: width, height: height, linesAlongY: linesAlongY)
            var random = SeededRandom(seed: 3)
            var values: [Float] = [], usable: [UInt8] = []
            for i in 0..<layout.size {
                let unusable = random.uniform() < 1.0 / 3 || i / layout.lineLength == 17
                values.append(unusable && i % 2 == 0 ? .nan : Float(100 + 50 * random.gaussian()))
                usable.append(unusable ? 0 : 1)
            }
            let smoothed = BackgroundMask.smoothAlongDispersion(values, usable: usable, layout: layout, length: length)
            let n = layout.lineLength
            var worst = 0.0
            for line in 0..<layout.lineCount {
                for m in 0..<n {
                    // The box runs across lines when they step along DMS x, along the line otherwise.
                    let box =
                        layout.dispersionAcrossLines
                        ? (max(0, line - half)...min(layout.lineCount - 1, line + half)).map { $0 * n + m }
                        : (max(0, m - half)...min(n - 1, m + half)).map { line * n + $0 }
                    let used = box.filter { usable[$0] != 0 }
                    let own = values[line * n + m], result = smoothed[line * n + m]
                    if used.isEmpty {
                        XCTAssertTrue(result == own || (result.isNaN && own.isNaN), "no usable pixel: own value kept")
                    } else {
                        let mean = used.map { Double(values[$0]) }.reduce(0, +) / Double(used.count)
                        worst = max(worst, abs(Double(result) - mean))
                    }
                }
            }
            // Float rounding of a mean near 100: a few units of 1e-5 (ulp of 100 is 7.6e-6).
            XCTAssertLessThan(worst, 3e-5, "lines along y: \(linesAlongY)")
        }
    }
}
