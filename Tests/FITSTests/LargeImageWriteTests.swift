import Foundation
import TestSupport
import XCTest

@testable import FITS

/// Large images encoded and written a chunk at a time on all cores (`LargeImageEncoder`) and files begun from an
/// outline (`FITSDraft`).
final class LargeImageWriteTests: XCTestCase {
    /// One large image of every pixel type, with extreme and non-finite values and a pixel count that leaves part
    /// of a block and of the workers' shares over.
    private func largeImages() -> [HDU] {
        let axes = [1031, 1019], n = 1031 * 1019
        func values<T>(_ make: (Int) -> T) -> [T] { (0..<n).map(make) }
        var header = Header()
        header.set("BUNIT", "DN/s")
        header.set("NOTE", .string(String(repeating: "long string value ", count: 6)), comment: "a CONTINUE card")
        return [
            HDU(name: "U8", image: Image(axes: axes, pixels: values { UInt8(truncatingIfNeeded: $0 * 7) }), header: header),
            HDU(name: "I16", image: Image(axes: axes, pixels: values { Int16(truncatingIfNeeded: $0 * 211 - 30_000) })),
            HDU(name: "U16", image: Image(axes: axes, pixels: values { UInt16(truncatingIfNeeded: $0 * 307) })),
            HDU(name: "I32", image: Image(axes: axes, pixels: values { $0 == 0 ? Int32.min : Int32(truncatingIfNeeded: $0 * 9_876_543) })),
            HDU(
                name: "U32", image: Image(axes: axes, pixels: values { $0 == 0 ? UInt32.max : UInt32(truncatingIfNeeded: $0 * 19_876_543) })
            ),
            HDU(name: "I64", image: Image(axes: axes, pixels: values { Int64($0) * -123_456_789_012 })),
            HDU(
                name: "F32",
                image: Image(
                    axes: axes, pixels: values { [Float.nan, .infinity, -0.0, .leastNonzeroMagnitude][$0 % 4] + Float($0) * 0.25 }),
                header: header),
            HDU(name: "F64", image: Image(axes: [n], pixels: values { $0 == 5 ? -Double.infinity : Double($0) * -1e-300 })),
        ]
    }

    func testEveryPixelTypeIsEncodedByteForByteAsCfitsioEncodesIt() throws {
        let dir = try TemporaryDirectory()
        // Written after some blocks of other data, so that the chunks do not start at the file's start.
        let offset = 2880 * 7
        for hdu in largeImages() {
            guard case .image(let image) = hdu.payload else { return XCTFail("not an image") }
            let reference = try FITSWriter.encodeAlone(hdu, index: 1, name: "reference").bytes
            let expected = Data(bytes: reference.bytes.base + reference.range.lowerBound, count: reference.range.count)
            let path = dir.file("\(hdu.name ?? "hdu").bin")
            let output = try FileOutput(path: path)
            try LargeImageEncoder.write(hdu, image: image, index: 1, size: expected.count, name: "ours", to: output, at: offset)
            try output.finish()
            let file = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(file.count, offset + expected.count, hdu.name ?? "")
            let encoded = file.subdata(in: offset..<file.count)
            XCTAssertEqual(encoded.count, expected.count, hdu.name ?? "")
            XCTAssertTrue(undated(encoded) == undated(expected), "\(hdu.name ?? ""): bytes differ from cfitsio's")
            let total = encoded.withUnsafeBytes { OnesComplementSum.of($0) }
            XCTAssertTrue(OnesComplementSum.equal(total, 0), "\(hdu.name ?? ""): the HDU sums to \(total), not -0")
        }
    }

    func testAFileOfLargeImagesReadsBackWithValidChecksums() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("large.fits")
        let hdus = [HDU(header: Header())] + largeImages()
        try FITSWriter.write(hdus, to: path)
        let file = try FITSFile(path: path)
        XCTAssertEqual(try file.hduCount(), hdus.count)
        for index in 0..<hdus.count { XCTAssertTrue(try file.checksumsAreValid(at: index), "HDU \(index)") }
        let back = try file.read(at: 5)
        XCTAssertEqual(back.image?.unsigned32().pixels.first, UInt32.max, "the unsigned convention survives")
        XCTAssertEqual(back.image?.unsigned32().pixels[3], UInt32(truncatingIfNeeded: 3 * 19_876_543))
        if let check = ExternalTool.run("fitsverify", ["-q", path]) { XCTAssertEqual(check.status, 0, check.output) }
    }

    /// An input of a primary HDU, a large SCI plane and two large planes passed through.
    private func input(in dir: TemporaryDirectory) throws -> [HDU] {
        let path = dir.file("input.fits")
        var primary = Header()
        primary.set("TELESCOP", "JWST")
        let plane = { (scale: Float) in Image(axes: [700, 600], pixels: (0..<420_000).map { Float($0 % 977) * scale }) }
        try FITSWriter.write(
            [
                HDU(header: primary), HDU(name: "SCI", image: plane(1)), HDU(name: "ERR", image: plane(0.5)),
                HDU(name: "VAR", image: plane(0.25)),
            ], to: path)
        return try FITSFile(bytes: FileBytes(contentsOf: path), path: path).readAll { $0.extensionName == "SCI" }
    }

    private func product(of input: [HDU], science: Float, primaryCards: Int) -> [HDU] {
        var hdus = input
        for card in 0..<primaryCards { hdus[0].header.set("STEP\(card)", .integer(card)) }
        hdus[1].payload = .image(AnyImage(Image(axes: [700, 600], pixels: [Float](repeating: science, count: 420_000))))
        return hdus
    }

    func testADraftWhoseOutlineHoldsIsFinishedNotRewritten() throws {
        let dir = try TemporaryDirectory()
        let hdus = try input(in: dir)
        let path = dir.file("product.fits")
        let draft = try FITSWriter.begin(product(of: hdus, science: 0, primaryCards: 3), at: path)
        XCTAssertEqual(Set(draft.early.keys), [2, 3], "the planes passed through are written early")
        let final = product(of: hdus, science: 7, primaryCards: 3)
        try FITSWriter.write(final, to: path, continuing: draft)
        XCTAssertTrue(draft.wasContinued)
        try assertFile(path, holds: final)
    }

    func testADraftWhoseOutlineWasWrongIsWrittenAfresh() throws {
        let dir = try TemporaryDirectory()
        let hdus = try input(in: dir)
        let path = dir.file("product.fits")
        // The final primary header needs a second block: every later HDU moves.
        let draft = try FITSWriter.begin(product(of: hdus, science: 0, primaryCards: 3), at: path)
        let final = product(of: hdus, science: 7, primaryCards: 40)
        try FITSWriter.write(final, to: path, continuing: draft)
        XCTAssertFalse(draft.wasContinued)
        try assertFile(path, holds: final)
    }

    private func assertFile(_ path: String, holds hdus: [HDU], file: StaticString = #filePath, line: UInt = #line) throws {
        let written = try FITSFile(path: path)
        XCTAssertEqual(try written.hduCount(), hdus.count, file: file, line: line)
        for index in 0..<hdus.count {
            XCTAssertTrue(try written.checksumsAreValid(at: index), "HDU \(index)", file: file, line: line)
            let back = try written.read(at: index)
            XCTAssertEqual(back.header, hdus[index].header, "HDU \(index) header", file: file, line: line)
            XCTAssertEqual(back.image?.floats().pixels, hdus[index].image?.floats().pixels, "HDU \(index) pixels", file: file, line: line)
        }
        if let check = ExternalTool.run("fitsverify", ["-q", path]) {
            XCTAssertEqual(check.status, 0, check.output, file: file, line: line)
        }
    }
}
