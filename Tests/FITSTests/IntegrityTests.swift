import Foundation
import TestSupport
import XCTest

@testable import FITS

final class IntegrityTests: XCTestCase {
    private func writeSample(_ path: String) throws {
        var header = Header()
        header.set("TELESCOP", "JWST")
        try FITSWriter.write(
            [
                HDU(header: header),
                HDU(name: "SCI", image: Image(axes: [100, 80], pixels: (0..<8000).map { Float($0) })),
                HDU(name: "DQ", image: Image(width: 100, height: 80, repeating: UInt32(0))),
            ], to: path)
    }

    func testChecksumsAreWrittenAndVerified() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("ok.fits")
        try writeSample(path)
        let file = try FITSFile(path: path)
        for index in 0..<3 {
            XCTAssertTrue(try file.records(at: index).contains { $0.hasPrefix("CHECKSUM=") })
            XCTAssertTrue(try file.checksumsAreValid(at: index))
        }
    }

    func testAFlippedByteIsCaught() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("flip.fits")
        try writeSample(path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[2880 * 2 + 1000] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try FITSFile(path: path).readAll()) { error in
            XCTAssertEqual((error as? FITSError)?.kind, .checksumMismatch)
            XCTAssertTrue("\(error)".contains("flip.fits"), "the error names the file")
        }
    }

    func testOnesComplementSumCarriesEndAround() {
        func sum(_ words: [UInt32]) -> UInt32 {
            let bytes = words.flatMap { w in [UInt8(w >> 24), UInt8(w >> 16 & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w & 0xFF)] }
            return bytes.withUnsafeBytes(OnesComplementSum.of)
        }
        XCTAssertEqual(sum([]), 0)
        XCTAssertEqual(sum([0x0102_0304]), 0x0102_0304, "words are big-endian")
        XCTAssertEqual(sum([0xFFFF_FFFF, 1]), 1, "-0 + 1")
        XCTAssertEqual(sum([0x8000_0000, 0x8000_0000]), 1, "the carry out of bit 31 comes back in at bit 0")
        XCTAssertEqual(sum(Array(repeating: 0xFFFF_FFFF, count: 1000)), 0xFFFF_FFFF)
        XCTAssertTrue(OnesComplementSum.equal(0, 0xFFFF_FFFF))
        XCTAssertFalse(OnesComplementSum.equal(0x0F0F_0F0F, 0xF0F0_F0F0))
    }

    /// The sum taken without byte swaps equals the FITS standard's word-by-word sum (appendix J) over several
    /// partial-sum blocks, with an odd word at the end, for random words and for words with every byte 0xFF.
    func testOnesComplementSumEqualsTheWordByWordSum() {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<1_234_567).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for bytes in [Array(random.prefix(1_234_564)), Array(repeating: UInt8(0xFF), count: 4 * 2049), Array(random.prefix(4 * 513))] {
            var expected: UInt32 = 0
            for i in stride(from: 0, to: bytes.count, by: 4) {
                let word = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
                let (sum, carry) = expected.addingReportingOverflow(word)
                expected = carry ? sum + 1 : sum
            }
            let sum = bytes.withUnsafeBytes(OnesComplementSum.of)
            XCTAssertTrue(OnesComplementSum.equal(sum, expected), "\(bytes.count) bytes: \(sum) against \(expected)")
        }
    }

    /// Files in memory are verified by `OnesComplementSum`, files on disk by cfitsio: both must agree on intact
    /// files and on every kind of damage. Damaged data are refused; a damaged header over intact data is read
    /// with a warning, as fitsverify judges it.
    func testInMemoryChecksumVerificationAgreesWithCfitsio() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("sums.fits")
        try writeSample(path)
        let intact = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerByte = intact.range(of: Data("'JWST".utf8))!.lowerBound + 2
        for (name, offset) in [
            ("intact", nil), ("data byte", 2880 * 2 + 1000), ("header byte", headerByte), ("DQ byte", intact.count - 100),
        ] {
            var bytes = intact
            if let offset { bytes[offset] ^= 0x04 }
            let damaged = dir.file("\(name).fits")
            try bytes.write(to: URL(fileURLWithPath: damaged))
            let onDisk = try FITSFile(path: damaged)
            let inMemory = try FITSFile(bytes: FileBytes(contentsOf: damaged), path: damaged)
            for index in 0..<3 {
                XCTAssertEqual(try inMemory.checksumsAreValid(at: index), try onDisk.checksumsAreValid(at: index), "\(name), HDU \(index)")
            }
            switch name {
            case "intact":
                XCTAssertEqual(try inMemory.readContents().warnings, [])
            case "header byte":
                // A header changed after its checksum with its data intact is what jwst's re-saves look like.
                for file in [inMemory, onDisk] {
                    let contents = try file.readContents()
                    XCTAssertEqual(contents.warnings.count, 1, name)
                    XCTAssertTrue(contents.warnings.first?.hasPrefix("HDU 0: CHECKSUM does not match but DATASUM does") == true, name)
                    XCTAssertNil(contents.hdus[0].origin, "an edited header's bytes are never copied verbatim")
                }
                XCTAssertNotNil(try inMemory.readContents().hdus[1].origin, "intact HDUs keep their origin")
            default:
                for file in [inMemory, onDisk] {
                    XCTAssertThrowsError(try file.readAll(), name) { error in
                        XCTAssertEqual((error as? FITSError)?.kind, .checksumMismatch)
                        XCTAssertTrue((error as? FITSError)?.message.contains("DATASUM does not match") == true, "\(error)")
                    }
                }
            }
        }
    }

    /// The writer encodes and writes HDUs concurrently: a full disk must still come back as one clear error.
    func testAFullDiskIsReportedClearly() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let large = HDU(name: "SCI", image: Image(axes: [1024, 512], pixels: [Float](repeating: 1, count: 1024 * 512)))
        XCTAssertThrowsError(try FITSWriter.write([HDU(), large, large], to: "/dev/full")) { error in
            XCTAssertEqual((error as? FITSError)?.kind, .io)
            XCTAssertTrue("\(error)".contains("No space left on device"), "\(error)")
        }
    }

    func testStructureCheckAcceptsWholeAndRejectsTruncatedFiles() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("whole.fits")
        try writeSample(path)
        XCTAssertEqual(FITSStructure.inspect(path), .complete(hduCount: 3))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [bytes.count - 2880, bytes.count - 1, 2880 * 3 + 100, 1000] {
            let truncated = dir.file("cut\(cut).fits")
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: truncated))
            XCTAssertFalse(FITSStructure.inspect(truncated).isComplete, "cut at \(cut)")
        }
        let grown = dir.file("grown.fits")
        try (bytes + Data(repeating: 0, count: 2880)).write(to: URL(fileURLWithPath: grown))
        XCTAssertFalse(FITSStructure.inspect(grown).isComplete, "trailing bytes that are not an HDU")
    }

    func testNonFITSAndEmptyFilesAreRecognised() throws {
        let dir = try TemporaryDirectory()
        let text = dir.file("jw_fake_rate.fits")
        try Data("this is not FITS at all\n".utf8).write(to: URL(fileURLWithPath: text))
        guard case .notFITS = FITSStructure.inspect(text) else { return XCTFail("text file") }
        let empty = dir.file("empty.fits")
        FileManager.default.createFile(atPath: empty, contents: Data())
        guard case .notFITS = FITSStructure.inspect(empty) else { return XCTFail("empty file") }
        XCTAssertThrowsError(try FITSFile(path: text)) { error in
            XCTAssertTrue("\(error)".contains("jw_fake_rate.fits"))
        }
    }

    func testGzipFilesOpenAndAreChecked() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("packed.fits")
        try writeSample(path)
        guard ExternalTool.run("gzip", ["-k", path])?.status == 0 else { throw XCTSkip("gzip not available") }
        let gz = path + ".gz"
        XCTAssertEqual(FITSStructure.inspect(gz), .complete(hduCount: 3))
        let sci: Image<Float> = try FITSFile(path: gz).readImage(at: 1)
        XCTAssertEqual(sci.pixels[4321], 4321)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: gz))
        let cut = dir.file("cut.fits.gz")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertFalse(FITSStructure.inspect(cut).isComplete)
    }

    func testExtensionsAreFoundByNameAndVersion() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("multi.fits")
        var v2 = Header()
        v2.set("EXTVER", 2)
        try FITSWriter.write(
            [
                HDU(),
                HDU(name: "SCI", image: Image(width: 2, height: 2, repeating: Float(1))),
                HDU(name: "SCI", image: Image(width: 2, height: 2, repeating: Float(2)), header: v2),
            ], to: path)
        let file = try FITSFile(path: path)
        XCTAssertEqual(try file.index(named: "SCI"), 1)
        XCTAssertEqual(try file.index(named: "SCI", version: 2), 2)
        XCTAssertNil(try file.index(named: "WAVELENGTH"))
        XCTAssertEqual(try file.hduCount(), 3)
    }

    func testProductsPassFitsverifyWithoutWarnings() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("verify.fits")
        try writeSample(path)
        guard let result = ExternalTool.run("fitsverify", [path]) else { throw XCTSkip("fitsverify is not installed") }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("0 warning(s) and 0 error(s)"), result.output)
    }
}
