import Foundation
import TestSupport
import XCTest

@testable import FITS

/// Files written piece by piece, out of order and from several threads.
final class FileOutputTests: XCTestCase {
    /// Pieces of FITS-like sizes, some of several megabytes, and a file whose end is not on a page boundary.
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

    func testPiecesInAnyOrderFromSeveralThreadsMakeTheFile() throws {
        let dir = try TemporaryDirectory()
        for (run, order) in [[0, 1, 2, 3, 4, 5], [5, 3, 1, 4, 0, 2], [2, 4, 0, 5, 1, 3]].enumerated() {
            let path = dir.file("out-\(run).bin")
            let parts = pieces()
            let output = try FileOutput(path: path)
            let results = ResultSlots<Void>(count: order.count)
            DispatchQueue.concurrentPerform(iterations: order.count) { slot in
                let part = parts[order[slot]]
                results.store(
                    slot,
                    Result { () throws(FITSError) in
                        try output.write(HDUBytes(bytes: part.bytes, range: 0..<part.bytes.count), at: part.offset)
                    })
            }
            _ = try results.values()
            try output.finish()
            var expected = Data()
            for part in parts { expected.append(Data(bytes: part.bytes.base, count: part.bytes.count)) }
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(written.count, expected.count, "order \(order): size")
            XCTAssertTrue(written == expected, "order \(order): bytes differ")
        }
    }
}
