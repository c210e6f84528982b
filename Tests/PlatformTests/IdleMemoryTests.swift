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

    /// VmFlags of every anonymous mapping that carries the huge-page advice (`hg`), from /proc/self/smaps.
    private func advisedAnonymousMappings() throws -> [String] {
        // Read to the end: /proc files report no size, and String(contentsOfFile:) stops at its first 4 KiB.
        let file = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? file.close() }
        let smaps = String(decoding: try XCTUnwrap(file.readToEnd()), as: UTF8.self).split(separator: "\n")
        var current = "", advised: [String] = []
        for line in smaps {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), !first.hasSuffix(":") {
                current = fields.count == 5 || fields[5] == "[heap]" ? String(first) : ""
            } else if line.hasPrefix("VmFlags:"), !current.isEmpty, fields.contains("hg") {
                advised.append(current)
            }
        }
        return advised
    }

    func testFreedHugePagePlanesLoseTheirAdviceSoTheTrimHoldsThem() throws {
        // A freed 16 MiB block raises glibc's mapping threshold past it, so the next planes come from an arena, as a
        // daemon's planes do after its first job, rather than from mappings of their own that `free` unmaps.
        var warm = [Float](hugePagesCount: 4 << 20) { $0.initialize(repeating: 0) }
        XCTAssertEqual(warm.count, 4 << 20)
        warm = []
        var plane = [Float](hugePagesCount: 2 << 20) { $0.initialize(repeating: 1) }
        let pin = [Float](repeating: 3, count: 256 << 10)
        XCTAssertEqual(plane.reduce(0, +), Float(2 << 20))
        XCTAssertFalse(try advisedAnonymousMappings().isEmpty, "the plane's memory was advised for huge pages")
        plane = []
        IdleMemory.release()
        XCTAssertEqual(try advisedAnonymousMappings(), [], "advice withdrawn, so khugepaged cannot refill what the trim freed")
        XCTAssertEqual(pin.reduce(0, +), Float(3 * (256 << 10)))
        // Advice given again to a new plane works as before.
        let again = [Float](hugePagesCount: 2 << 20) { $0.initialize(repeating: 2) }
        XCTAssertEqual(again.reduce(0, +), Float(4 << 20))
        XCTAssertFalse(try advisedAnonymousMappings().isEmpty)
    }
}
