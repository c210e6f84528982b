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
        var changed = bytes
        changed[5 << 20] ^= 1
        XCTAssertNotEqual(changed.withUnsafeBytes { ContentHash.of($0) }, inMemory, "one flipped bit past the first chunk changes the hash")
    }
}
