@testable import NSClean
import XCTest

/// The blocked transposition against its definition, on shapes that are not multiples of the tile.
final class TransposeTests: XCTestCase {
    func testRoundTrip() {
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
        }
    }
}
