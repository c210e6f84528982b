import Foundation
import TestSupport
import XCTest

/// `webbflow simulate KIND --help` lists that kind's settings, from the recipe's own declarations.
final class SimulateHelpTests: XCTestCase {
    func testKindHelpListsItsSettingsWithDefaultsAndValidValues() throws {
        guard FileManager.default.isExecutableFile(atPath: CommandLineTests.executable) else {
            throw XCTSkip("webbflow is not built beside the tests (\(CommandLineTests.executable))")
        }
        let kind = ExternalTool.run(CommandLineTests.executable, ["simulate", "miri-lrs-cal", "--help"])
        let kindRun = try XCTUnwrap(kind)
        XCTAssertTrue(kindRun.succeeded, kindRun.description)
        XCTAssertTrue(kindRun.output.contains("miri-lrs-cal: MIRI LRS"), kindRun.output)
        XCTAssertTrue(kindRun.output.contains("layout = slit"), kindRun.output)
        XCTAssertTrue(kindRun.output.contains("[slit, image]"), kindRun.output)
        XCTAssertTrue(kindRun.output.contains("program = 4242"), kindRun.output)
        XCTAssertFalse(kindRun.output.contains("spaxels"), "another kind's settings: \(kindRun.output)")

        let general = try XCTUnwrap(ExternalTool.run(CommandLineTests.executable, ["simulate", "--help"]))
        XCTAssertTrue(general.succeeded, general.description)
        XCTAssertTrue(general.output.contains("USAGE: webbflow simulate"), general.output)

        let typo = try XCTUnwrap(
            ExternalTool.run(
                CommandLineTests.executable,
                [
                    "simulate", "miri-lrs-cal", "--out", NSTemporaryDirectory(),
                    "--set", "layuot=image",
                ]))
        XCTAssertFalse(typo.succeeded)
        XCTAssertTrue(typo.output.contains("unknown parameter 'layuot'") && typo.output.contains("layout"), typo.output)
    }
}
