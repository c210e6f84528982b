import Foundation
import Pipeline
import TestSupport
import XCTest

/// The content hash is XXH3-128 as xxHash's own `xxh128sum` computes it, whether the bytes are read from a file in
/// chunks or are already in memory.
final class ContentHashTests: XCTestCase {
    func testFileAndMemoryHashesAreTheXXH3128OfXXH128Sum() throws {
        var generator = SystemRandomNumberGenerator()
        // Past one read chunk, with an odd tail.
        let words = (0..<((9 << 20) / 8 + 1)).map { _ in generator.next() }
        let bytes = words.withUnsafeBytes { Array($0.prefix((9 << 20) + 3)) }
        let scratch = try TemporaryDirectory("webbflow-hash")
        let path = scratch.file("bytes.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let inMemory = bytes.withUnsafeBytes { ContentHash.of($0) }
        XCTAssertEqual(try ContentHash.of(path: path), inMemory)
        guard let run = ExternalTool.run("xxh128sum", [path]) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail("xxh128sum is not installed") }
            throw XCTSkip("xxh128sum is not installed (scripts/bootstrap installs Debian's xxhash)")
        }
        XCTAssertTrue(run.output.contains("\(inMemory)  \(path)"), "the hash xxHash's own tool computes: \(run.output)")
        for offset in [0, 4 << 20, bytes.count - 1] {
            var changed = bytes
            changed[offset] ^= 1
            XCTAssertNotEqual(changed.withUnsafeBytes { ContentHash.of($0) }, inMemory, "a flipped bit at byte \(offset) changes the hash")
        }
    }

    func testEmptyAndOneZeroByteDiffer() {
        XCTAssertNotEqual([UInt8]().withUnsafeBytes { ContentHash.of($0) }, [0].withUnsafeBytes { ContentHash.of($0) })
        XCTAssertEqual([UInt8]().withUnsafeBytes { ContentHash.of($0) }.count, 32)
    }
}
