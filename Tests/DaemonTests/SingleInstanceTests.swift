import Foundation
import XCTest

/// One daemon per state folder: a second `webbflow run` on the same state folder would take the first one's
/// running job for an interrupted one and run it again.
final class SingleInstanceTests: XCTestCase {
    func testASecondDaemonOnTheSameStateFolderIsRefusedNamingTheHolder() async throws {
        let tree = try DaemonTree("webbflow-lock")
        let first = try tree.start()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let ready = try await tree.waitForLog("ready:")
        XCTAssertTrue(ready, "the first daemon started\n\(tree.log)")

        let secondLog = tree.scratch.file("second.log")
        let second = try WebbflowBinary.start(tree.arguments(), log: secondLog)
        let refused = try await WebbflowBinary.wait(second, timeout: 30)
        let said = (try? String(contentsOfFile: secondLog, encoding: .utf8)) ?? ""
        XCTAssertTrue(refused, "the second daemon stopped by itself instead of running beside the first")
        XCTAssertNotEqual(second.terminationStatus, 0, "and said so with its exit status")
        XCTAssertTrue(said.contains("PID \(first.processIdentifier)"), "its message names the holder: \(said)")
        XCTAssertFalse(said.contains("ready:"), "it never started watching")
        XCTAssertTrue(first.isRunning, "the first daemon goes on")

        // The lock dies with its holder: after kill -9 a new daemon starts on the same folder.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        try tree.put(exposure: 1)
        let status = try await tree.runUntilIdle()
        XCTAssertEqual(status, 0)
        XCTAssertEqual(tree.products().count, 1, "the restarted daemon works: \(tree.log.suffix(2000))")
    }
}
