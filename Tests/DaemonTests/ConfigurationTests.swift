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
        let config = try DaemonConfiguration.parse(
            """
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

    /// `accept_products` in a built-in step's table makes it take products (it is no step parameter); a value that
    /// is not a boolean is refused, and so is a cycle through a built-in step.
    func testBuiltInStepsTakeProductsWhenToldAndCyclesThroughThemAreRefused() throws {
        let base = """
            inboxes = "in"
            outbox = "out"
            state_directory = "state"
            [steps.scicopy]
            accept_products = true
            scale = 2

            """
        let config = try DaemonConfiguration.parse(base)
        XCTAssertEqual(config.builtInProductTakers, ["scicopy"])
        XCTAssertEqual(config.stepParameters["scicopy"], ["scale=2"])
        XCTAssertNoThrow(try config.validate(steps: TestSteps.registry))
        XCTAssertThrowsError(try DaemonConfiguration.parse(base.replacingOccurrences(of: "= true", with: "= \"yes\""))) {
            XCTAssertTrue("\($0)".contains("'steps.scicopy.accept_products' must be true or false"), "\($0)")
        }
        let back = try DaemonConfiguration.parse(
            base + """
                [[external_steps]]
                name = "back"
                command = ["cp"]
                instruments = ["NIRSPEC"]
                exposure_types = ["NRS_IFU"]
                suffixes = ["scicopy"]
                product_suffix = "rate"
                accept_products = true
                """)
        XCTAssertThrowsError(try back.validate(steps: TestSteps.registry)) {
            XCTAssertTrue("\($0)".contains("steps form a cycle: back → scicopy → back"), "\($0)")
        }
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

    func testAnIntegerStandsForANumber() throws {
        let config = try DaemonConfiguration.parse(
            """
            settle_seconds = 4
            retry_backoff_seconds = 7.5
            [slurm]
            poll_seconds = 2
            memory_scale = 3
            [[external_steps]]
            name = "copy"
            command = "/bin/cp"
            instruments = "NIRSPEC"
            exposure_types = ["NRS_IFU"]
            suffixes = ["cal"]
            product_suffix = "copy"
            timeout_seconds = 600
            memory_per_input_byte = 2
            """)
        XCTAssertEqual(config.settleSeconds, 4)
        XCTAssertEqual(config.retryBackoffSeconds, 7.5)
        XCTAssertEqual(config.slurm.pollSeconds, 2)
        XCTAssertEqual(config.slurm.memoryScale, 3)
        XCTAssertEqual(config.externalSteps.first?.timeoutSeconds, 600)
        XCTAssertEqual(config.externalSteps.first?.memoryPerInputByte, 2)
        XCTAssertEqual(config.externalSteps.first?.command, ["/bin/cp"], "a single string is a list of one")
        XCTAssertEqual(config.externalSteps.first?.instruments, ["NIRSPEC"])
    }

    func testAWrongTypeNamesTheKeyTheTypeAndTheValue() {
        func message(_ text: String) -> String {
            do { _ = try DaemonConfiguration.parse(text, source: "w.toml"); return "accepted" } catch { return error.description }
        }
        XCTAssertEqual(message("settle_seconds = \"soon\""), "w.toml: 'settle_seconds' must be a number, not the string \"soon\"")
        XCTAssertEqual(message("workers = 2.5"), "w.toml: 'workers' must be an integer, not the number 2.5")
        XCTAssertEqual(message("pictures = \"yes\""), "w.toml: 'pictures' must be true or false, not the string \"yes\"")
        XCTAssertEqual(message("inboxes = [\"/a\", 3]"), "w.toml: 'inboxes' must be a list of strings, not an array of 2")
        XCTAssertEqual(
            message("log_target = \"syslog\""), "w.toml: 'log_target' must be one of auto, journal, stderr, not the string \"syslog\"")
        XCTAssertEqual(message("slurm = 3"), "w.toml: 'slurm' must be a table, not the integer 3")
        XCTAssertEqual(message("[slurm]\nmax_jobs = \"many\""), "w.toml: 'slurm.max_jobs' must be an integer, not the string \"many\"")
        XCTAssertTrue(message("[slurm]\nspol = \"/s\"").hasPrefix("w.toml: unknown key 'spol' in [slurm]; valid keys: spool, partition"))
        XCTAssertEqual(
            message("external_steps = \"x\""), "w.toml: 'external_steps' must be [[external_steps]] tables, not the string \"x\"")
        XCTAssertEqual(
            message("[[external_steps]]\nname = \"a\"\ncommand = 1"),
            "w.toml: 'external_steps[0].command' must be a list of strings, not the integer 1")
        XCTAssertEqual(message("[[external_steps]]\nname = \"a\""), "w.toml: 'external_steps[0].command' is required")
        let step =
            "[[external_steps]]\nname = \"a\"\ncommand = \"x\"\ninstruments = \"NIRSPEC\"\nexposure_types = \"NRS_IFU\"\nsuffixes = \"cal\"\n"
            + "product_suffix = \"b\"\n"
        XCTAssertEqual(
            message(step + "environment = { A = 1 }"),
            "w.toml: 'external_steps[0].environment' must be a table whose values are each a string, not a table")
        XCTAssertEqual(message("[steps]\nnsclean = 2"), "w.toml: 'steps.nsclean' must be a [steps.nsclean] table, not the integer 2")
        XCTAssertEqual(
            message("[steps.nsclean]\nn_sigma = [1, 2]"),
            "w.toml: 'steps.nsclean.n_sigma' must be a string, number or boolean, not an array of 2")
    }

    func testFlagsOverrideTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("webbflow-\(UUID().uuidString).toml").path
        defer { unlink(path) }
        try "inboxes = [\"/a\"]\noutbox = \"/b\"\nstate_directory = \"/c\"\nsettle_seconds = 9\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        var overrides = ConfigurationOverrides()
        overrides.settleSeconds = 0.5
        overrides.inboxes = ["/x", "/y"]
        let config = try overrides.resolve(file: path, steps: TestSteps.registry)
        XCTAssertEqual(config.settleSeconds, 0.5)
        XCTAssertEqual(config.inboxes, ["/x", "/y"])
        XCTAssertEqual(config.outbox, "/b")
    }
}
