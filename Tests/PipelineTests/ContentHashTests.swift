import Foundation
import Pipeline
import XCTest

/// The file hash read in chunks equals the hash of the same bytes in memory, across chunk boundaries and an odd tail.
final class ContentHashTests: XCTestCase {
    func testChunkedFileHashEqualsInMemoryHash() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(9 << 20) + 3).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = NSTemporaryDirectory() + "webbflow-hash-\(UUID().uuidString).bin"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let inMemory = bytes.withUnsafeBytes { ContentHash.of($0) }
        XCTAssertEqual(try ContentHash.of(path: path), inMemory)
        // One byte in each of the four lanes past the first chunk, and one in the tail.
        for offset in [5 << 20, (5 << 20) + 8, (5 << 20) + 16, (5 << 20) + 24, bytes.count - 1] {
            var changed = bytes
            changed[offset] ^= 1
            XCTAssertNotEqual(changed.withUnsafeBytes { ContentHash.of($0) }, inMemory, "a flipped bit at byte \(offset) changes the hash")
        }
    }
}
