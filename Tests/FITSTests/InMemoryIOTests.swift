import Foundation
import TestSupport
import XCTest

@testable import FITS

/// Reading from a buffer read once (`FileBytes`), and writing with unchanged HDUs copied verbatim.
final class InMemoryIOTests: XCTestCase {
    private func sample() -> [HDU] {
        var header = Header()
        header.set("TELESCOP", "JWST")
        let table = Table(columns: [TableColumn(name: "WAVELENGTH", unit: "um", data: .float64([1.5, 2.5, 3.5]))], rowCount: 3)
        return [
            HDU(header: header),
            HDU(name: "SCI", image: Image(axes: [100, 80], pixels: (0..<8000).map { Float($0) * 0.5 })),
            HDU(name: "DQ", image: Image(width: 100, height: 80, repeating: UInt32(7))),
            HDU(name: "TAB", table: table),
        ]
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Byte offsets of each HDU (header start to padded data end), from cfitsio's own reading of the file.
    private func hduRanges(_ path: String) throws -> [Range<Int>] {
        let file = try FITSFile(path: path)
        var start = 0
        return try (0..<file.hduCount()).map { index in
            let end = try file.endOfData(hdu: index)
            defer { start = end }
            return start..<end
        }
    }

    func testMemoryReadMatchesDiskRead() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("sample.fits")
        try FITSWriter.write(sample(), to: path)
        let fromDisk = try FITSFile(path: path).readAll()
        let fromMemory = try FITSFile(bytes: FileBytes(contentsOf: path), path: path).readAll()
        XCTAssertEqual(fromMemory.count, 4)
        for (a, b) in zip(fromDisk, fromMemory) {
            XCTAssertEqual(a.header, b.header)
            XCTAssertTrue(identicalBits(a.payload, b.payload))
        }
    }

    /// Pixels stored as plain big-endian words are decoded from the file's bytes (`BigEndianWords`), not by
    /// cfitsio: every stored type, the unsigned BZERO convention, extreme and non-finite values, and a pixel
    /// count that does not divide among the workers all come out as cfitsio reads them from disk.
    func testWordsDecodedFromMemoryMatchCfitsioForEveryType() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("types.fits")
        let axes = [37, 11], n = 37 * 11
        func values<T>(_ make: (Int) -> T) -> [T] { (0..<n).map(make) }
        let hdus = [
            HDU(header: Header()),
            HDU(name: "U8", image: Image(axes: axes, pixels: values { UInt8(truncatingIfNeeded: $0 * 7) })),
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
                    axes: axes, pixels: values { [Float.nan, .infinity, -0.0, .leastNonzeroMagnitude][$0 % 4] + Float($0) * 0.25 })),
            HDU(name: "F64", image: Image(axes: axes, pixels: values { $0 == 5 ? -Double.infinity : Double($0) * -1e-300 })),
        ]
        try FITSWriter.write(hdus, to: path)
        let fromDisk = try FITSFile(path: path).readAll()
        let fromMemory = try FITSFile(bytes: FileBytes(contentsOf: path), path: path).readAll()
        for (index, (a, b)) in zip(fromDisk, fromMemory).enumerated() {
            XCTAssertTrue(identicalBits(a.payload, b.payload), "HDU \(index) (\(a.name ?? "primary"))")
        }
        XCTAssertTrue(identicalBits(fromMemory[5].payload, hdus[5].payload), "unsigned 32-bit values survive the BZERO flip")

        // The words themselves: 1.0 as a big-endian float, and a sign-bit flip turning stored Int32 1 into 2^31 + 1.
        let stored: [UInt8] = [0x3f, 0x80, 0, 0, 0, 0, 0, 1]
        var floats = [Float](repeating: 0, count: 2), unsigned = [UInt32](repeating: 0, count: 2)
        stored.withUnsafeBytes { raw in
            floats.withUnsafeMutableBufferPointer { BigEndianWords.decode(raw.baseAddress!, into: $0, flip: 0) }
            unsigned.withUnsafeMutableBufferPointer { BigEndianWords.decode(raw.baseAddress!, into: $0, flip: 0x8000_0000) }
        }
        XCTAssertEqual(floats[0], 1)
        XCTAssertEqual(unsigned[1], 0x8000_0001)
    }

    func testUnchangedExtensionsAreCopiedByteForByte() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("in.fits"), output = dir.file("out.fits")
        try FITSWriter.write(sample(), to: input)
        // cfitsio stamps CHECKSUM's comment with the time to the second: a re-encoded HDU written a second later
        // differs from the input's bytes, a verbatim copy does not.
        Thread.sleep(forTimeInterval: 1.1)
        var hdus = try FITSFile(bytes: FileBytes(contentsOf: input), path: input).readAll()
        XCTAssertTrue(hdus.allSatisfy { $0.origin != nil }, "every verified HDU read from memory keeps its bytes")
        hdus[0].header.set("HISTORY2", "changed")
        hdus[1].payload = .image(AnyImage(Image(axes: [100, 80], pixels: [Float](repeating: 1, count: 8000))))
        XCTAssertNil(hdus[0].origin, "a header change drops the origin")
        XCTAssertNil(hdus[1].origin, "a payload change drops the origin")
        try FITSWriter.write(hdus, to: output)

        let before = try bytes(input), after = try bytes(output)
        let inRanges = try hduRanges(input), outRanges = try hduRanges(output)
        for index in [2, 3] {
            XCTAssertEqual(before[inRanges[index]], after[outRanges[index]], "HDU \(index) copied verbatim")
        }
        XCTAssertNotEqual(before[inRanges[1]], after[outRanges[1]])
        let back = try FITSFile(path: output)
        for index in 0..<4 { XCTAssertTrue(try back.checksumsAreValid(at: index), "HDU \(index)") }
        let reread = try back.readAll()
        XCTAssertEqual(reread[0].header.string("HISTORY2"), "changed")
        XCTAssertEqual(reread[1].image?.floats().pixels.first, 1)
        XCTAssertTrue(identicalBits(reread[3].payload, sample()[3].payload))
        if let check = ExternalTool.run("fitsverify", ["-q", output]) { XCTAssertEqual(check.status, 0, check.output) }
    }

    func testAnHDUMovedBetweenPrimaryAndExtensionIsReencoded() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("in.fits"), output = dir.file("out.fits")
        var original = sample()
        original[0].payload = .image(AnyImage(Image(axes: [4, 3], pixels: (0..<12).map { Int16($0) })))
        try FITSWriter.write(original, to: input)
        let hdus = try FITSFile(bytes: FileBytes(contentsOf: input), path: input).readAll()
        // The primary image becomes an extension and an extension becomes the primary: neither can be copied.
        try FITSWriter.write([hdus[1], hdus[0]], to: output)
        let back = try FITSFile(path: output)
        XCTAssertTrue(try back.checksumsAreValid(at: 0))
        XCTAssertTrue(try back.checksumsAreValid(at: 1))
        let reread = try back.readAll()
        XCTAssertTrue(identicalBits(reread[0].payload, hdus[1].payload))
        XCTAssertTrue(identicalBits(reread[1].payload, hdus[0].payload))
        if let check = ExternalTool.run("fitsverify", ["-q", output]) { XCTAssertEqual(check.status, 0, check.output) }
    }

    func testExtensionsLeftEncodedDecodeOnDemandAndPassThrough() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("in.fits"), output = dir.file("out.fits"), renamed = dir.file("renamed.fits")
        try FITSWriter.write(sample(), to: input)
        let full = try FITSFile(path: input).readAll()
        let hdus = try FITSFile(bytes: FileBytes(contentsOf: input), path: input).readAll { $0.extensionName == "SCI" }
        guard case .image = hdus[1].payload, case .deferred(let dq) = hdus[2].payload else {
            return XCTFail("SCI decoded, DQ left encoded: \(hdus[1].payload), \(hdus[2].payload)")
        }
        XCTAssertEqual(dq.axes, [100, 80])
        XCTAssertEqual(dq.bitpix, 32)
        XCTAssertTrue(identicalBits(.image(try XCTUnwrap(hdus[2].image)), full[2].payload), "decoded when asked for")
        XCTAssertNotNil(hdus[2].origin, "its checksums were verified all the same")
        try FITSWriter.write(hdus, to: output)
        XCTAssertEqual(try bytes(input), try bytes(output), "unchanged HDUs, encoded or not, are copied verbatim")
        // A changed header drops the origin: the pixels are decoded from the input's bytes and encoded again.
        var changed = hdus
        changed[2].header.set("EXTNAME", .string("MASK"))
        try FITSWriter.write(changed, to: renamed)
        let reread = try FITSFile(path: renamed).readAll()
        XCTAssertEqual(reread[2].name, "MASK")
        XCTAssertTrue(identicalBits(reread[2].payload, full[2].payload))
        XCTAssertTrue(try FITSFile(path: renamed).checksumsAreValid(at: 2))
    }

    func testHDUsWithoutChecksumsAreNotCopied() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("sample.fits")
        try FITSWriter.write(sample(), to: path)
        let hdus = try FITSFile(bytes: FileBytes(contentsOf: path), path: path).readAll(verifyChecksums: false)
        XCTAssertTrue(hdus.allSatisfy { $0.origin == nil }, "unverified bytes are never passed through")
    }

    func testGzipFilesAreReadThroughTheirPath() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip") || FileManager.default.isExecutableFile(atPath: "/bin/gzip")
        else {
            throw XCTSkip("gzip is not installed")
        }
        let dir = try TemporaryDirectory()
        let path = dir.file("sample.fits")
        try FITSWriter.write(sample(), to: path)
        XCTAssertEqual(ExternalTool.run("gzip", [path])?.status, 0)
        let bytes = try FileBytes(contentsOf: path + ".gz")
        XCTAssertTrue(bytes.isGzip)
        let hdus = try FITSFile(bytes: bytes, path: path + ".gz").readAll()
        XCTAssertEqual(hdus[1].image?.floats().pixels[10], 5)
        XCTAssertTrue(hdus.allSatisfy { $0.origin == nil })
    }

    func testLargeFilesAreReadInTwoHalvesExactly() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("large.bin")
        // 9 MiB + 7 bytes: two whole huge-page halves and a tail that is not a multiple of anything.
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<(9 << 20) + 7).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try data.write(to: URL(fileURLWithPath: path))
        let bytes = try FileBytes(contentsOf: path, mapping: false)
        XCTAssertFalse(bytes.isLeasedMapping)
        XCTAssertEqual(bytes.count, data.count)
        XCTAssertTrue(bytes.withUnsafeBytes { $0.elementsEqual(data) })
    }

    func testLargeFilesAreMappedUnderALeaseThatHoldsOffWriters() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("large.bin")
        let data = Data((0..<(5 << 20) + 3).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try data.write(to: URL(fileURLWithPath: path))
        var bytes: FileBytes? = try FileBytes(contentsOf: path)
        XCTAssertEqual(bytes?.isLeasedMapping, true)
        XCTAssertEqual(bytes?.count, data.count)
        XCTAssertEqual(bytes?.withUnsafeBytes { $0.elementsEqual(data) }, true)
        // While the bytes are held, a writer (or a truncation) cannot get at the file: without blocking it is refused.
        let writer = open(path, O_WRONLY | O_TRUNC | O_NONBLOCK)
        XCTAssertEqual(writer, -1)
        XCTAssertEqual(errno, EWOULDBLOCK)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, data.count)
        bytes = nil
        // Released with the bytes.
        let after = open(path, O_WRONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(after, 0)
        close(after)
    }

    func testAFileOpenForWritingIsReadNotMapped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("busy.bin")
        let data = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try data.write(to: URL(fileURLWithPath: path))
        let writer = open(path, O_WRONLY)
        defer { close(writer) }
        let bytes = try FileBytes(contentsOf: path)
        XCTAssertFalse(bytes.isLeasedMapping)
        XCTAssertTrue(bytes.withUnsafeBytes { $0.elementsEqual(data) })
    }

    func testMissingFileErrorNamesIt() {
        XCTAssertThrowsError(try FileBytes(contentsOf: "/nonexistent/webbflow.fits")) { error in
            XCTAssertEqual((error as? FITSError)?.kind, .io)
            XCTAssertTrue("\(error)".contains("webbflow.fits"))
        }
    }
}
