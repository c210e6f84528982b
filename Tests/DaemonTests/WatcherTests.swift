import Daemon
import Foundation
import Logging
import Platform
import TestSupport
import XCTest

/// inotify's hard cases: a queue overflow, rescans racing new files, and the inbox itself removed and created again.
final class WatcherTests: XCTestCase {
    /// The overflow is made certain: the watcher thread is held inside its report of a first file while 200
    /// renames arrive, so its queue of 8 events must overflow before it reads again.
    func testQueueOverflowIsFollowedByAFullRescanThatFindsEveryFile() async throws {
        let limitFile = "/proc/sys/fs/inotify/max_queued_events"
        guard getuid() == 0, let original = try? String(contentsOfFile: limitFile, encoding: .utf8) else {
            throw XCTSkip("lowering \(limitFile) needs root; overflow not exercised")
        }
        let scratch = try TemporaryDirectory("webbflow-watch")
        let root = scratch.path
        let inbox = "\(root)/inbox", stage = "\(root)/stage"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)

        let log = CapturedLog()
        let reports = Locked<[String: Int]>([:])
        let released = Locked(false), reportedAfterRelease = Locked<Set<String>>([])
        let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), ready = DispatchSemaphore(value: 0)
        let watcher = Watcher(
            roots: [inbox], logger: Logger(label: "test") { _ in CaptureHandler(log: log) },
            onReady: { ready.signal() }
        ) { path in
            let name = URL(fileURLWithPath: path).lastPathComponent
            if released.current { reportedAfterRelease.withLock { _ = $0.insert(name) } }
            let first = reports.withLock { counts in
                counts[name, default: 0] += 1
                return counts.count == 1 && counts.values.first == 1
            }
            if first {
                held.signal()
                _ = release.wait(timeout: .now() + 30)
            }
        }
        guard (try? "8\n".write(toFile: limitFile, atomically: false, encoding: .utf8)) != nil else {
            throw XCTSkip("\(limitFile) is not writable here; overflow not exercised")
        }
        // The queue limit applies to inotify instances created after the change: the watcher's, created now.
        let task = Task { try await watcher.run() }
        let armed = ready.wait(timeout: .now() + 10)
        try? original.write(toFile: limitFile, atomically: false, encoding: .utf8)
        XCTAssertEqual(armed, .success, "the watcher armed its inbox")

        let trigger = try TestExposures.bytes(exposure: 1000, size: 8)
        try TestExposures.writeInPlace(trigger.data, to: "\(inbox)/\(trigger.name)")
        XCTAssertEqual(held.wait(timeout: .now() + 10), .success, "the first file was reported")
        var names = [trigger.name]
        for exposure in 1...200 {
            let file = try TestExposures.bytes(exposure: exposure, size: 8)
            try file.data.write(to: URL(fileURLWithPath: "\(stage)/\(file.name)"))
            XCTAssertEqual(rename("\(stage)/\(file.name)", "\(inbox)/\(file.name)"), 0)
            names.append(file.name)
        }
        released.withLock { $0 = true }
        release.signal()

        let deadline = Date().addingTimeInterval(30)
        while reports.current.count < names.count || !reportedAfterRelease.current.contains(trigger.name), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        try await task.value
        XCTAssertTrue(log.contains("inotify queue overflowed"), "200 renames overflow a queue of 8 events")
        let missing = Set(names).subtracting(reports.current.keys)
        XCTAssertTrue(
            missing.isEmpty, "\(missing.count) of \(names.count) files never reported: the rescan must find the lost events' files")
        XCTAssertTrue(
            reportedAfterRelease.current.contains(trigger.name),
            "the file seen before the overflow is reported again by the rescan")
    }

    /// Files arriving while the inboxes are rescanned every 50 ms are reported many times; each runs once.
    func testFilesReportedAgainByRescansRunOnce() async throws {
        let harness = try DaemonHarness(settle: 0.2, rescanInterval: 0.05)
        try await harness.start()
        let count = 100
        for exposure in 1...count {
            let file = try TestExposures.bytes(exposure: exposure, size: 8)
            _ = try harness.write(file.name, file.data)
        }
        try await harness.waitForQuiet(files: count, timeout: 60)
        try await harness.stop()
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
