import Foundation
import Platform
import XCTest

/// Handing back file-backed pages shrinks what the process holds resident, and the code runs on afterwards.
final class IdleMemoryTests: XCTestCase {
    /// RssFile from /proc/self/status: resident pages of mapped files, in bytes.
    private func residentFilePages() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try XCTUnwrap(Int(line.split(separator: " ")[1])) * 1024
    }

    func testFilePagesAreHandedBack() throws {
        let before = try residentFilePages()
        let advised = IdleMemory.releaseFilePages()
        let after = try residentFilePages()
        XCTAssertGreaterThan(advised, 0, "no read-only file mapping was advised (kernel older than 5.4?)")
        // The test bundle's own code is mapped by this process alone: the kernel reclaims at least that.
        XCTAssertLessThan(after, before, "resident file pages \(before >> 10) KiB before, \(after >> 10) KiB after")
        // What was handed back comes back when used.
        XCTAssertEqual((1...1000).map { $0 * $0 }.reduce(0, +), 333_833_500)
        XCTAssertGreaterThan(try String(contentsOfFile: "/proc/self/status", encoding: .utf8).count, 0)
    }
}
