import Foundation
import XCTest

/// SIGHUP to the real daemon with a configuration file broken in the meantime: the mistake is logged with the key,
/// the type expected and the value, and the daemon goes on with the configuration in force.
final class ConfigurationReloadTests: XCTestCase {
    func testABadReloadIsNamedAndKeepsTheConfigurationInForce() async throws {
        let tree = try DaemonTree("webbflow-bad-reload")
        let config = tree.scratch.file("webbflow.toml")
        try "settle_seconds = 0.2\nmax_attempts = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try tree.start(["--config", config])
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        let ready = try await tree.waitForLog("ready: watching")
        XCTAssertTrue(ready, tree.log)

        try "settle_seconds = \"soon\"\nmax_attempts = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        let refused = try await tree.waitForLog("reload failed, keeping the previous configuration")
        XCTAssertTrue(refused, tree.log)
        XCTAssertTrue(tree.log.contains("\(config): 'settle_seconds' must be a number, not the string"), tree.log)

        let input = try tree.put(exposure: 1)
        let deadline = Date().addingTimeInterval(120)
        while tree.product(of: input) == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        XCTAssertNotNil(tree.product(of: input), "the daemon still takes files with the configuration in force: \(tree.log.suffix(2000))")
        kill(daemon.processIdentifier, SIGTERM)
        let stopped = try await WebbflowBinary.wait(daemon, timeout: 30)
        XCTAssertTrue(stopped)
    }
}
