@testable import NSClean
import Numerics
import XCTest

/// The blocked transposition against its definition, on shapes that are not multiples of the tile.
final class TransposeTests: XCTestCase {
    func testRoundTripAndEveryPixelVisitedOnce() {
        for (width, height) in [(300, 37), (13, 1000), (2048, 32), (1, 1), (9, 257)] {
            let image = (0..<(width * height)).map { Float($0) }
            var lines = [Float](repeating: -1, count: image.count)
            image.withUnsafeBufferPointer { source in
                lines.withUnsafeMutableBufferPointer { Transpose.toLines(source, width: width, height: height, into: $0) }
            }
            var worst = 0
            for y in 0..<height {
                for x in 0..<width where lines[x * height + y] != image[y * width + x] { worst += 1 }
            }
            XCTAssertEqual(worst, 0, "\(width)x\(height): lines[x·height + y] = image[y·width + x]")

            var back = [Float](repeating: -1, count: image.count)
            lines.withUnsafeBufferPointer { source in
                back.withUnsafeMutableBufferPointer { Transpose.toImage(source, width: width, height: height, into: $0) }
            }
            // A count, not the arrays: a failure then reads as a number rather than thousands of values.
            XCTAssertEqual(zip(back, image).filter { $0 != $1 }.count, 0, "\(width)x\(height): round trip")

            let visits = Locked([Int](repeating: 0, count: image.count))
            Transpose.walk(width: width, height: height) { first, line, count in
                visits.withLock { counts in
                    for k in 0..<count {
                        counts[first + k] += 1
                        // The line index of image pixel (x, y) is x·height + y.
                        let x = (first + k) % width, y = (first + k) / width
                        XCTAssertEqual(line + k * height, x * height + y)
                    }
                }
            }
            XCTAssertEqual(Set(visits.current), [1], "\(width)x\(height): each pixel visited exactly once")
        }
    }
}
