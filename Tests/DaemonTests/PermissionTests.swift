import Daemon
import Foundation
import XCTest

/// A file the daemon may not read is recorded with the system's reason ("Permission denied", not "doesn't
/// exist"), and a chmod that makes it readable has it taken at once.
final class PermissionTests: XCTestCase {
    func testAnUnreadableFileIsSaidSoAndTakenOnceChmodMakesItReadable() async throws {
        // Permissions bind only a daemon that is not root: it runs as nobody, on a tree nobody may write.
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv to run the daemon as another user")
        }
        let tree = try DaemonTree("webbflow-chmod")
        let path = try tree.put(exposure: 1)
        for item in [tree.scratch.path, tree.inbox] { XCTAssertEqual(chmod(item, 0o777), 0) }
        XCTAssertEqual(chmod(path, 0o600), 0)
        let daemon = try tree.start(launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL); daemon.waitUntilExit() } }

        var recorded: StatusReport.FileLine?
        for _ in 0..<600 where recorded == nil {
            recorded = (try? tree.status())?.skipped.first { $0.path == path }
            try await Task.sleep(for: .milliseconds(50))
        }
        let unreadable = try XCTUnwrap(recorded, "the unreadable file is recorded\n\(tree.log.suffix(2000))")
        XCTAssertEqual(unreadable.skipReason, "unreadable")
        XCTAssertTrue(unreadable.reason.contains("Permission denied"), unreadable.reason)

        XCTAssertEqual(chmod(path, 0o644), 0)
        let deadline = Date().addingTimeInterval(30)
        while tree.product(of: path) == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertNotNil(tree.product(of: path), "taken once readable, without a restart\n\(tree.log.suffix(2000))")
        XCTAssertEqual(try tree.status().files, ["routed": 1], "the unreadable record gave way to the real verdict")
    }
}
