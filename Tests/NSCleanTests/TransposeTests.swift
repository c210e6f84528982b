import XCTest

@testable import NSClean

/// The blocked transposition against its definition, on shapes that are and are not multiples of the 8×8 blocks
/// and of the bands, for 4-byte elements (register blocks) and bytes (tiles).
final class TransposeTests: XCTestCase {
    static let shapes = [(300, 37), (13, 1000), (2048, 32), (1, 1), (9, 257), (64, 64), (72, 136), (7, 7), (2048, 2048)]

    func testRoundTripOfFloats() {
        for (width, height) in Self.shapes { roundTrip(width, height, unwritten: -1) { Float($0) } }
    }

    func testRoundTripOfWords() {
        for (width, height) in Self.shapes { roundTrip(width, height, unwritten: 0) { UInt32($0) | 0x8000_0000 } }
    }

    func testRoundTripOfBytes() {
        for (width, height) in Self.shapes { roundTrip(width, height, unwritten: 255) { UInt8($0 % 251) } }
    }

    /// `value(i)` is the i-th pixel's value, never equal to `unwritten`, which fills the outputs beforehand.
    private func roundTrip<T: Equatable>(_ width: Int, _ height: Int, unwritten: T, value: (Int) -> T) {
        let image = (0..<(width * height)).map(value)
        var lines = [T](repeating: unwritten, count: image.count)
        image.withUnsafeBufferPointer { source in
            lines.withUnsafeMutableBufferPointer { Transpose.toLines(source, width: width, height: height, into: $0) }
        }
        var worst = 0
        for y in 0..<height {
            for x in 0..<width where lines[x * height + y] != image[y * width + x] { worst += 1 }
        }
        XCTAssertEqual(worst, 0, "\(width)x\(height): lines[x·height + y] = image[y·width + x]")

        var back = [T](repeating: unwritten, count: image.count)
        lines.withUnsafeBufferPointer { source in
            back.withUnsafeMutableBufferPointer { Transpose.toImage(source, width: width, height: height, into: $0) }
        }
        // A count, not the arrays: a failure then reads as a number rather than thousands of values.
        XCTAssertEqual(zip(back, image).filter { $0 != $1 }.count, 0, "\(width)x\(height): round trip")
    }
}
