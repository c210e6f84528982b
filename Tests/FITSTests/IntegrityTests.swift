import FITS
import Foundation
import XCTest

final class IntegrityTests: XCTestCase {
    private func writeSample(_ path: String) throws {
        var header = Header()
        header.set("TELESCOP", "JWST")
        try FITSWriter.write([
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
        guard runTool("gzip", ["-k", path])?.status == 0 else { throw XCTSkip("gzip not available") }
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
        try FITSWriter.write([
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
        guard let result = runTool("fitsverify", [path]) else { throw XCTSkip("fitsverify is not installed") }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("0 warning(s) and 0 error(s)"), result.output)
    }
}
