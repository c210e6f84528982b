import Foundation
import Platform
import TestSupport
import XCTest

@testable import FITS

/// Planes computed together a band at a time (`BandSource`, `BandedPlanes`) and written as the bands are computed
/// (`BandedImageWriter`): the file must be byte for byte the one written from whole images, and each band computed
/// once however the planes are read and written.
final class BandedImageWriteTests: XCTestCase {
    /// Three planes of 1031 × 1019 pixels (floats with NaN, infinities and −0, unsigned and 64-bit integers with their
    /// extremes), each pixel a function of its index, in bands of uneven lengths; counts how often each band is computed.
    final class Ramps: BandSource {
        static let axes = [1031, 1019]
        static let count = 1031 * 1019
        let bands: [Range<Int>]
        let computations: Locked<[Int]>

        init() {
            let cuts = [0, 1, 4097, 4098, 300_001, 700_000, Self.count]
            bands = zip(cuts, cuts.dropFirst()).map { $0..<$1 }
            computations = Locked([Int](repeating: 0, count: bands.count))
        }

        static func float(_ i: Int) -> Float { [Float.nan, .infinity, -0.0, .leastNonzeroMagnitude][i % 4] + Float(i) * 0.25 }
        static func unsigned(_ i: Int) -> UInt32 { i == 0 ? .max : UInt32(truncatingIfNeeded: i * 19_876_543) }
        static func long(_ i: Int) -> Int64 { i == 1 ? .min : Int64(i) * -123_456_789_012 }

        func compute(band: Int, into planes: [UnsafeMutableRawBufferPointer]) {
            let range = bands[band]
            let f = planes[0].bindMemory(to: Float.self), u = planes[1].bindMemory(to: UInt32.self),
                l = planes[2].bindMemory(to: Int64.self)
            for (j, i) in range.enumerated() {
                f[j] = Self.float(i)
                u[j] = Self.unsigned(i)
                l[j] = Self.long(i)
            }
            computations.withLock { $0[band] += 1 }
        }
    }

    private func hdus(_ planes: BandedPlanes) -> [HDU] {
        [HDU(header: Header())]
            + ["FLOATS", "UNSIGNED", "LONG"].enumerated().map { p, name in
                var header = header()
                header.set("EXTNAME", .string(name))
                return HDU(header: header, payload: .banded(planes.plane(p)))
            }
    }

    private func wholeImages() -> [HDU] {
        let axes = Ramps.axes, indices = 0..<Ramps.count
        return [
            HDU(header: Header()),
            HDU(name: "FLOATS", image: Image(axes: axes, pixels: indices.map(Ramps.float)), header: header()),
            HDU(name: "UNSIGNED", image: Image(axes: axes, pixels: indices.map(Ramps.unsigned)), header: header()),
            HDU(name: "LONG", image: Image(axes: axes, pixels: indices.map(Ramps.long)), header: header()),
        ]
    }

    private func header() -> Header {
        var header = Header()
        header.set("BUNIT", "MJy/sr")
        return header
    }

    func testBandsAreWrittenByteForByteAsWholeImagesAreAndComputedOnce() throws {
        let dir = try TemporaryDirectory()
        let ramps = Ramps()
        let planes = BandedPlanes(source: ramps, axes: Ramps.axes, types: [Float.self, UInt32.self, Int64.self], kept: [0])
        let banded = hdus(planes)
        // A reader of the kept plane (the quick-look picture) while the file is written.
        let read = Locked<[Float]?>(nil), reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) { read.withLock { $0 = banded[1].image?.floats().pixels } }
        try FITSWriter.write(banded, to: dir.file("banded.fits"))
        try FITSWriter.write(wholeImages(), to: dir.file("whole.fits"))
        let ours = try Data(contentsOf: URL(fileURLWithPath: dir.file("banded.fits")))
        let reference = try Data(contentsOf: URL(fileURLWithPath: dir.file("whole.fits")))
        XCTAssertEqual(ours.count, reference.count)
        XCTAssertTrue(undated(ours) == undated(reference), "the banded file differs from the one written from whole images")
        let file = try FITSFile(path: dir.file("banded.fits"))
        for index in 0..<4 { XCTAssertTrue(try file.checksumsAreValid(at: index), "HDU \(index)") }
        reading.wait()
        XCTAssertEqual(read.current?.map(\.bitPattern), (0..<Ramps.count).map { Ramps.float($0).bitPattern })
        XCTAssertEqual(ramps.computations.current, [Int](repeating: 1, count: ramps.bands.count), "each band computed once")
        if let check = ExternalTool.run("fitsverify", ["-q", dir.file("banded.fits")]) { XCTAssertEqual(check.status, 0, check.output) }
    }

    func testAPlaneReadBeforeTheWriteIsAssembledAndTheWriteTakesItsBands() throws {
        let dir = try TemporaryDirectory()
        let ramps = Ramps()
        let planes = BandedPlanes(source: ramps, axes: Ramps.axes, types: [Float.self, UInt32.self, Int64.self], kept: [0])
        let banded = hdus(planes)
        XCTAssertEqual(banded[2].image?.unsigned32().pixels, (0..<Ramps.count).map(Ramps.unsigned))
        try FITSWriter.write(banded, to: dir.file("banded.fits"))
        XCTAssertEqual(ramps.computations.current, [Int](repeating: 1, count: ramps.bands.count), "the write took the bands read")
        let back = try FITSFile(path: dir.file("banded.fits")).read(at: 3)
        XCTAssertEqual(back.image?.typed(Int64.self)?.pixels, (0..<Ramps.count).map(Ramps.long))
        // Once written, a plane that is not kept is computed again to be read: slower, still right.
        XCTAssertEqual(banded[3].image?.typed(Int64.self)?.pixels, (0..<Ramps.count).map(Ramps.long))
        XCTAssertEqual(ramps.computations.current, [Int](repeating: 2, count: ramps.bands.count))
    }
}
