import FITS
import Foundation
import Pipeline
import TestSupport
import XCTest

/// A `.fits.gz` is classified from its headers streamed out of the compressed file: a small gzip that expands to
/// half a gigabyte of data must not be decompressed into memory to read the few cards that classify it. A job's
/// compressed input is loaded whole, decompressed into the size its headers announce.
final class CompressedInputTests: XCTestCase {
    /// 512 MiB of zero data, a whole number of 2880-byte blocks; gzip makes it about half a megabyte.
    static let dataBytes = 2880 * 186_414

    /// A primary header announcing `dataBytes` of 8-bit data, then the zeros, gzip-compressed by the system's gzip.
    private func bomb(in dir: TemporaryDirectory) throws -> String {
        let cards = [
            "SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    1",
            "NAXIS1  = \(String(repeating: " ", count: 20 - String(Self.dataBytes).count))\(Self.dataBytes)",
            "TELESCOP= 'JWST    '", "INSTRUME= 'NIRSPEC '", "EXP_TYPE= 'NRS_IFU '", "END",
        ]
        var header = cards.map { $0.padding(toLength: 80, withPad: " ", startingAt: 0) }.joined()
        header += String(repeating: " ", count: 2880 - header.utf8.count)
        try header.write(toFile: dir.file("header"), atomically: true, encoding: .ascii)
        let path = dir.file("jw01234001001_01101_00001_nrs1_rate.fits.gz")
        let made = ExternalTool.run(
            "/bin/sh", ["-c", "(cat '\(dir.file("header"))'; head -c \(Self.dataBytes) /dev/zero) | gzip -1 > '\(path)'"])
        XCTAssertEqual(made?.status, 0, made?.output ?? "no /bin/sh")
        return path
    }

    /// The process's peak resident memory (VmHWM) in bytes.
    private func peakResident() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return try XCTUnwrap(Int(line.split(separator: " ")[1])) * 1024
    }

    func testAGzipBombIsClassifiedWithoutExpandingIt() throws {
        let dir = try TemporaryDirectory("gzip-bomb")
        let path = try bomb(in: dir)
        // Writing 5 to clear_refs makes the peak start again from the memory resident now.
        guard (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .ascii)) != nil else {
            throw XCTSkip("cannot reset the peak resident memory here (/proc/self/clear_refs)")
        }
        let before = try peakResident()
        let classification = Classifier(registry: StepRegistry()).classify(path: path)
        let growth = try peakResident() - before
        XCTAssertEqual(classification.kind?.exposureType, "NRS_IFU", "classified from its headers: \(classification.verdict)")
        XCTAssertEqual(classification.kind?.instrument, "NIRSPEC")
        // The streaming walk holds two 64 KiB zlib buffers and one header block; 64 MB leaves room for the
        // allocator and is an eighth of what decompressing the file whole would take.
        XCTAssertLessThan(growth, 64 << 20, "peak memory grew by \(growth >> 20) MB classifying a 512 MiB gzip")
    }

    /// A gzip input loads to the same HDUs as the file uncompressed; its fingerprint is that of the file on disk.
    func testACompressedInputLoadsLikeTheFileUncompressed() throws {
        let dir = try TemporaryDirectory("gzip-input")
        let plain = dir.file("jw01345062001_03101_00001_nrs2_rate.fits")
        var header = Header()
        header.set("TELESCOP", "JWST")
        let pixels = (0..<(64 * 32)).map { Float($0) * 0.25 - 100 }
        try FITSWriter.write([HDU(header: header), HDU(name: "SCI", image: Image(axes: [64, 32], pixels: pixels))], to: plain)
        let compressed = plain + ".gz"
        let made = ExternalTool.run("/bin/sh", ["-c", "gzip -c '\(plain)' > '\(compressed)'"])
        XCTAssertEqual(made?.status, 0, made?.output ?? "no /bin/sh")
        let fromPlain = try Exposure.load(plain), fromCompressed = try Exposure.load(compressed)
        XCTAssertEqual(fromCompressed.hdus.map(\.header), fromPlain.hdus.map(\.header))
        XCTAssertEqual(try fromCompressed.floatImage("SCI").pixels, pixels)
        XCTAssertEqual(fromCompressed.contentHash, try ContentHash.of(path: compressed))
    }
}
