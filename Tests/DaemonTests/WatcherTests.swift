import Daemon
import Foundation
import XCTest

/// inotify's hard cases: a queue overflow, and the inbox itself removed and created again.
final class WatcherTests: XCTestCase {
    func testQueueOverflowIsFollowedByAFullRescanThatFindsEveryFile() async throws {
        let limitFile = "/proc/sys/fs/inotify/max_queued_events"
        guard getuid() == 0, let original = try? String(contentsOfFile: limitFile, encoding: .utf8) else {
            throw XCTSkip("lowering \(limitFile) needs root; overflow not exercised")
        }
        guard (try? "8\n".write(toFile: limitFile, atomically: false, encoding: .utf8)) != nil else {
            throw XCTSkip("\(limitFile) is not writable here; overflow not exercised")
        }
        let harness = try DaemonHarness(settle: 0.2)
        do {
            // The queue limit applies to inotify instances created after the change: the daemon's, started now.
            try await harness.start()
            try? original.write(toFile: limitFile, atomically: false, encoding: .utf8)
        } catch {
            try? original.write(toFile: limitFile, atomically: false, encoding: .utf8)
            throw error
        }
        let count = 200
        let stage = "\(harness.root)/stage"
        try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)
        var names: [String] = []
        for exposure in 1...count {
            let file = try TestExposures.bytes(exposure: exposure, size: 8)
            try file.data.write(to: URL(fileURLWithPath: "\(stage)/\(file.name)"))
            names.append(file.name)
        }
        for name in names { rename("\(stage)/\(name)", "\(harness.inbox)/\(name)") }
        try await harness.waitForQuiet(files: count, timeout: 60)
        try await harness.stop()
        XCTAssertTrue(harness.log.contains("inotify queue overflowed"), "200 renames overflow a queue of 8 events")
        XCTAssertEqual(harness.products().count, count)
        XCTAssertEqual(try harness.status().steps.first?.done, count, "each file ran once despite rescans")
    }

    func testInboxRemovedAndCreatedAgainIsWatchedAgain() async throws {
        let harness = try DaemonHarness(settle: 0.2)
        try await harness.start()
        try FileManager.default.removeItem(atPath: harness.inbox)
        try await harness.waitUntil("the loss is noticed") { harness.log.contains("was removed, moved or unmounted") }
        try FileManager.default.createDirectory(atPath: "\(harness.inbox)/fresh", withIntermediateDirectories: true)
        try await harness.waitUntil("the inbox is re-armed") { harness.log.contains("is back") }
        let file = try TestExposures.bytes(exposure: 1)
        _ = try harness.write(file.name, in: "fresh", file.data)
        try await harness.waitForQuiet(files: 1)
        try await harness.stop()
        XCTAssertEqual(harness.products().count, 1)
    }
}
