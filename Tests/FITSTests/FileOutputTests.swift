@testable import FITS
import Foundation
import XCTest

/// Files written piece by piece, out of order and from several threads, with direct I/O (pieces gathered into
/// aligned chunks) and through the page cache.
final class FileOutputTests: XCTestCase {
    /// Pieces of FITS-like sizes (multiples of 2880, so rarely aligned), some spanning several 4 MiB chunks, some
    /// inside one, and a file whose end is not aligned.
    private let pieceSizes = [2880 * 4, 2880 * 5827, 2880, 2880 * 1500, 2880 * 3100, 2880 * 7]

    private func pieces() -> [(bytes: FileBytes, offset: Int)] {
        var offset = 0
        return pieceSizes.enumerated().map { index, size in
            let buffer = malloc(size)!
            let words = buffer.bindMemory(to: UInt8.self, capacity: size)
            for i in 0..<size { words[i] = UInt8(truncatingIfNeeded: i &* 31 &+ index &* 7 &+ i >> 12) }
            defer { offset += size }
            return (FileBytes(adopting: buffer, count: size), offset)
        }
    }

    private func write(direct: Bool, order: [Int], to path: String) throws -> Data {
        let parts = pieces()
        let size = pieceSizes.reduce(0, +)
        let output = try FileOutput(path: path, size: size, direct: direct)
        let failures = ResultSlots<Void>(count: order.count)
        DispatchQueue.concurrentPerform(iterations: order.count) { slot in
            let part = parts[order[slot]]
            failures.store(slot, Result { () throws(FITSError) in
                try output.write(HDUBytes(bytes: part.bytes, range: 0..<part.bytes.count), at: part.offset)
            })
        }
        _ = try failures.values()
        try output.finish()
        var expected = Data()
        for part in parts { expected.append(Data(bytes: part.bytes.base, count: part.bytes.count)) }
        return expected
    }

    func testPiecesInAnyOrderMakeTheSameFileEitherWay() throws {
        let dir = try TemporaryDirectory()
        for (run, order) in [[0, 1, 2, 3, 4, 5], [5, 3, 1, 4, 0, 2], [2, 4, 0, 5, 1, 3]].enumerated() {
            for direct in [true, false] {
                let path = dir.file("out-\(run)-\(direct).bin")
                let expected = try write(direct: direct, order: order, to: path)
                let written = try Data(contentsOf: URL(fileURLWithPath: path))
                XCTAssertEqual(written.count, expected.count, "order \(order), direct \(direct): size")
                XCTAssertTrue(written == expected, "order \(order), direct \(direct): bytes differ")
            }
        }
    }

    func testAPieceOutsideTheFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        let output = try FileOutput(path: dir.file("small.bin"), size: 2880)
        let bytes = FileBytes(adopting: malloc(2880)!, count: 2880)
        XCTAssertThrowsError(try output.write(HDUBytes(bytes: bytes, range: 0..<2880), at: 2880))
    }
}

extension FileOutputTests {
    /// A piece in memory aligned as the file is (`FileOutput.alignedForFile`) is written straight from its buffer
    /// for the chunks it covers whole, beside staged neighbours.
    func testAPieceAlignedForTheFileIsWrittenAsIsBesideStagedOnes() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("aligned.bin")
        let sizes = [2880 * 3, 2880 * 4000, 2880 * 2]
        let size = sizes.reduce(0, +)
        let output = try FileOutput(path: path, size: size)
        var expected = Data()
        var offset = 0
        for (index, length) in sizes.enumerated() {
            let skip = FileOutput.alignedForFile(offset)
            var memory: UnsafeMutableRawPointer?
            XCTAssertEqual(posix_memalign(&memory, 4096, skip + length), 0)
            let bytes = FileBytes(adopting: memory!, count: skip + length)
            let words = (memory! + skip).bindMemory(to: UInt8.self, capacity: length)
            for i in 0..<length { words[i] = UInt8(truncatingIfNeeded: i &* 13 &+ index &+ i >> 9) }
            expected.append(Data(bytes: words, count: length))
            try output.write(HDUBytes(bytes: bytes, range: skip..<skip + length), at: offset)
            offset += length
        }
        try output.finish()
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(written.count, size)
        XCTAssertTrue(written == expected)
    }
}
