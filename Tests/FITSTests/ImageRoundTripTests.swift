import FITS
import TestSupport
import XCTest

final class ImageRoundTripTests: XCTestCase {
    private func roundTrip<P: FITSPixel>(_ image: Image<P>) throws -> HDU {
        let dir = try TemporaryDirectory()
        let path = dir.file("image.fits")
        try FITSWriter.write([HDU(), HDU(name: "SCI", image: image)], to: path)
        return try FITSFile(path: path).read(at: 1)
    }

    func testEveryBitpixRoundTripsExactly() throws {
        let axes = [7, 5, 3]
        let n = axes.reduce(1, *)
        XCTAssertEqual(
            try roundTrip(Image(axes: axes, pixels: (0..<n).map { UInt8($0 % 256) })).image,
            .uint8(Image(axes: axes, pixels: (0..<n).map { UInt8($0 % 256) })))
        let i16 = Image(axes: axes, pixels: (0..<n).map { Int16($0 * 300 - 15000) })
        XCTAssertEqual(try roundTrip(i16).image, .int16(i16))
        let u16 = Image(axes: axes, pixels: (0..<n).map { UInt16($0 * 600) })
        XCTAssertEqual(try roundTrip(u16).image, .uint16(u16))
        let i32 = Image(axes: axes, pixels: (0..<n).map { Int32($0) * 20_000_000 - 2_000_000_000 })
        XCTAssertEqual(try roundTrip(i32).image, .int32(i32))
        let i64 = Image(axes: axes, pixels: (0..<n).map { Int64($0) * 1_000_000_000_000 - 5 })
        XCTAssertEqual(try roundTrip(i64).image, .int64(i64))
        let f32 = Image(axes: axes, pixels: (0..<n).map { $0 == 3 ? Float.nan : Float($0) * 0.1 - 3 })
        let back32 = try XCTUnwrap(roundTrip(f32).image?.typed(Float.self))
        XCTAssertTrue(back32.pixels[3].isNaN, "NaN must survive the round trip")
        XCTAssertEqual(
            back32.pixels.enumerated().filter { $0.offset != 3 }.map(\.element),
            f32.pixels.enumerated().filter { $0.offset != 3 }.map(\.element))
        let f64 = Image(axes: axes, pixels: (0..<n).map { Double($0) * 1e-300 + 1 / 3 })
        XCTAssertEqual(try roundTrip(f64).image, .float64(f64))
    }

    func testUnsignedDQUsesBitpix32WithBzero() throws {
        let dq = Image(width: 4, height: 2, repeating: UInt32(0))
        var flagged = dq
        flagged.pixels[0] = 1
        flagged.pixels[1] = 1 << 28
        flagged.pixels[2] = UInt32.max
        flagged.pixels[7] = 1 << 31
        let dir = try TemporaryDirectory()
        let path = dir.file("dq.fits")
        try FITSWriter.write([HDU(), HDU(name: "DQ", image: flagged)], to: path)
        let file = try FITSFile(path: path)
        let records = try file.records(at: 1)
        XCTAssertTrue(records.contains { $0.hasPrefix("BITPIX  =                   32") })
        XCTAssertTrue(records.contains { $0.hasPrefix("BZERO   =           2147483648") })
        XCTAssertEqual(try file.read(at: 1).image, .uint32(flagged))
    }

    func testAFullFramePlaneReadsIntoOneContiguousBuffer() throws {
        let n = 2048
        let image = Image(axes: [n, n], pixels: (0..<(n * n)).map { Float($0 & 1023) })
        let dir = try TemporaryDirectory()
        let path = dir.file("full.fits")
        try FITSWriter.write([HDU(), HDU(name: "SCI", image: image)], to: path)
        let back: Image<Float> = try FITSFile(path: path).readImage(at: 1)
        XCTAssertEqual(back.axes, [n, n])
        XCTAssertEqual(back.pixels[n * 1000 + 17], image.pixels[n * 1000 + 17])
        XCTAssertEqual(back, image)
    }

    func testConvertingReadGivesFloatsFromIntegers() throws {
        let image = Image(axes: [3, 2], pixels: [Int16(-2), 0, 5, 7, 9, 11])
        let dir = try TemporaryDirectory()
        let path = dir.file("i.fits")
        try FITSWriter.write([HDU(), HDU(name: "SCI", image: image)], to: path)
        let floats: Image<Float> = try FITSFile(path: path).readImage(at: 1)
        XCTAssertEqual(floats.pixels, [-2, 0, 5, 7, 9, 11])
    }
}
