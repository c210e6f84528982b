import Pipeline
import XCTest

final class ParameterTests: XCTestCase {
    let specs = [
        ParameterSpec("n_sigma", default: .real(5), help: "clip", range: 0.5...100),
        ParameterSpec("oversample", default: .integer(3), help: "N", range: 1...10),
        ParameterSpec("save_mask", default: .logical(false), help: "save"),
        ParameterSpec("psf", default: .text("gaussian"), help: "psf", choices: ["gaussian", "moffat"]),
    ]

    /// The same four parameters declared once, as a typed options struct.
    struct Options: StepOptions {
        enum Shape: String, Sendable, CaseIterable { case gaussian, moffat }
        var nSigma = 5.0
        var oversample = 3
        var saveMask = false
        var psf = Shape.gaussian
        static let declarations: [OptionDeclaration<Self>] = [
            .number("n_sigma", \.nSigma, help: "clip", range: 0.5...100),
            .integer("oversample", \.oversample, help: "N", range: 1...10),
            .flag("save_mask", \.saveMask, help: "save"),
            .choice("psf", \.psf, help: "psf"),
        ]
    }

    func testOptionsDeclareTheirParametersOnce() {
        XCTAssertEqual(Options.parameters, specs)
    }

    func testDefaultsAndOverrides() throws {
        let values = try ParameterValues(specs: Options.parameters, assignments: ["n_sigma=3.5", "save_mask=yes", "psf=moffat"])
        XCTAssertEqual(values["n_sigma"], .real(3.5))
        let options = Options(values)
        XCTAssertEqual(options.nSigma, 3.5)
        XCTAssertEqual(options.oversample, 3)
        XCTAssertTrue(options.saveMask)
        XCTAssertEqual(options.psf, .moffat)
        XCTAssertEqual(values.ordered.map(\.0), ["n_sigma", "oversample", "save_mask", "psf"])
    }

    func testBadAssignmentsNameTheProblem() {
        XCTAssertThrowsError(try ParameterValues(specs: specs, assignments: ["nsigma=3"])) {
            XCTAssertTrue("\($0)".contains("unknown parameter 'nsigma'") && "\($0)".contains("n_sigma"))
        }
        XCTAssertThrowsError(try ParameterValues(specs: specs, assignments: ["oversample=0"])) {
            XCTAssertTrue("\($0)".contains("1.0…10.0"))
        }
        XCTAssertThrowsError(try ParameterValues(specs: specs, assignments: ["oversample=two"])) {
            XCTAssertTrue("\($0)".contains("integer"))
        }
        XCTAssertThrowsError(try ParameterValues(specs: specs, assignments: ["psf=airy"])) {
            XCTAssertTrue("\($0)".contains("gaussian, moffat"))
        }
        XCTAssertThrowsError(try ParameterValues(specs: specs, assignments: ["n_sigma"])) { XCTAssertTrue("\($0)".contains("KEY=VALUE")) }
    }
}
