import Foundation
import Pipeline
import TestSupport
import XCTest

/// The file hash read in chunks equals the hash of the same bytes in memory (hashed block by block on all cores),
/// across chunk and block boundaries and an odd tail.
final class ContentHashTests: XCTestCase {
    func testChunkedFileHashEqualsInMemoryHash() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(9 << 20) + 3).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let scratch = try TemporaryDirectory("webbflow-hash")
        let path = scratch.file("bytes.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let inMemory = bytes.withUnsafeBytes { ContentHash.of($0) }
        XCTAssertEqual(try ContentHash.of(path: path), inMemory)
        // One byte in each of the four lanes of a block past the first read, one in the last block's tail, and
        // a byte either side of a block boundary (blocks are hashed separately).
        for offset in [5 << 20, (5 << 20) + 8, (5 << 20) + 16, (5 << 20) + 24, bytes.count - 1, (3 << 20) - 1, 3 << 20] {
            var changed = bytes
            changed[offset] ^= 1
            XCTAssertNotEqual(changed.withUnsafeBytes { ContentHash.of($0) }, inMemory, "a flipped bit at byte \(offset) changes the hash")
        }
    }

    /// Moving bytes between blocks, or appending zeros, changes the fingerprint: the blocks are folded in order and
    /// the length is part of it.
    func testBlockOrderAndLengthCount() {
        let block = 1 << 20
        let first = [UInt8](repeating: 1, count: block), second = [UInt8](repeating: 2, count: block)
        let forward = (first + second).withUnsafeBytes { ContentHash.of($0) }
        XCTAssertNotEqual((second + first).withUnsafeBytes { ContentHash.of($0) }, forward)
        XCTAssertNotEqual((first + second + [0]).withUnsafeBytes { ContentHash.of($0) }, forward)
        XCTAssertNotEqual([UInt8]().withUnsafeBytes { ContentHash.of($0) }, [0].withUnsafeBytes { ContentHash.of($0) })
    }
}
