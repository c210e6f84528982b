import Daemon
import Foundation
import XCTest

/// The TOML configuration: the shipped sample parses to the documented defaults, mistakes are named.
final class ConfigurationTests: XCTestCase {
    func testSampleConfigurationParsesToItsDocumentedValues() throws {
        let config = try DaemonConfiguration.load(path: "\(SystemdUnitTests.packageRoot)/etc/webbflow.toml")
        XCTAssertEqual(config.inboxes, ["/srv/jwst/inbox"])
        XCTAssertEqual(config.outbox, "/srv/jwst/outbox")
        XCTAssertEqual(config.failedDirectory, "/srv/jwst/failed")
        XCTAssertEqual(config.stateDirectory, "/var/lib/webbflow")
        var defaults = DaemonConfiguration()
        defaults.inboxes = config.inboxes
        defaults.outbox = config.outbox
        defaults.failed = config.failed
        defaults.stateDirectory = config.stateDirectory
        XCTAssertEqual(config, defaults, "every other key in the sample shows its default")
        XCTAssertNoThrow(try config.validate())
    }

    func testStepTablesBecomeParameterAssignments() throws {
        let config = try DaemonConfiguration.parse("""
            inboxes = "in"
            [steps.nsclean]
            n_sigma = 3
            save_mask = true
            [steps.atm]
            method = "bspline"
            """)
        XCTAssertEqual(config.inboxes, ["in"])
        XCTAssertEqual(config.stepParameters["nsclean"], ["n_sigma=3", "save_mask=true"])
        XCTAssertEqual(config.stepParameters["atm"], ["method=bspline"])
    }

    func testMistakesAreRefusedWithTheKeyNamed() {
        func message(_ text: String) -> String {
            do { _ = try DaemonConfiguration.parse(text); return "accepted" } catch { return error.description }
        }
        XCTAssertTrue(message("inbox = \"x\"").contains("unknown key 'inbox'"))
        XCTAssertTrue(message("settle_seconds = \"soon\"").contains("'settle_seconds' must be a number"))
        XCTAssertTrue(message("failed_inputs = \"delete\"").contains("one of keep, copy, move"))
        XCTAssertTrue(message("outbox = [").contains("line 1"))
        var config = DaemonConfiguration()
        config.inboxes = ["/data/inbox"]
        config.outbox = "/data/inbox/products"
        config.stateDirectory = "/var/lib/webbflow"
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("lies inside the inbox")) }
    }

    func testFlagsOverrideTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("webbflow-\(UUID().uuidString).toml").path
        defer { unlink(path) }
        try "inboxes = [\"/a\"]\noutbox = \"/b\"\nstate_directory = \"/c\"\nsettle_seconds = 9\n".write(toFile: path, atomically: true, encoding: .utf8)
        var overrides = ConfigurationOverrides()
        overrides.settleSeconds = 0.5
        overrides.inboxes = ["/x", "/y"]
        let config = try overrides.resolve(file: path, steps: TestSteps.registry)
        XCTAssertEqual(config.settleSeconds, 0.5)
        XCTAssertEqual(config.inboxes, ["/x", "/y"])
        XCTAssertEqual(config.outbox, "/b")
    }
}
