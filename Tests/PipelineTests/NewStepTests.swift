import FITS
import Foundation
import Logging
import Pipeline
import TestSupport
import XCTest

/// A step defined here, outside Pipeline, with its manifest and options: registering it is all it takes to be
/// routed, listed, checked in a configuration and written under its own suffix and status keyword.
final class NewStepTests: XCTestCase {
    /// Scales MIRI imaging rate files.
    struct Scaling: TypedStep {
        struct Options: StepOptions {
            var factor = 2.0
            static let declarations: [OptionDeclaration<Self>] = [.number("factor", \.factor, help: "multiplies SCI", range: 0.5...4)]
        }

        let manifest = StepManifest(
            name: "scaling", summary: "multiplies SCI by a factor",
            routes: [Route(instruments: ["MIRI"], exposureTypes: ["MIR_IMAGE"], suffixes: ["rate"])],
            productSuffix: "scaled_rate", statusKeyword: "S_SCALED", options: Options.self)

        func run(_ inputs: [Exposure], options: Options, context: StepContext) async throws -> [Product] {
            try inputs.map { input in
                var sci = try input.floatImage("SCI")
                for i in sci.pixels.indices { sci.pixels[i] *= Float(options.factor) }
                return Product(
                    fileName: input.name.product(suffix: manifest.productSuffix),
                    hdus: [HDU(header: input.primaryHeader), HDU(name: "SCI", image: sci)], program: input.kind.program)
            }
        }
    }

    private var folder: TemporaryDirectory?
    private let registry = StepRegistry([Scaling()])

    override func setUpWithError() throws { folder = try TemporaryDirectory("webbflow-newstep") }
    override func tearDown() { folder = nil }

    /// A MIRI imaging rate file with SCI = 1.5 everywhere.
    private func rateFile(status: String? = nil) throws -> String {
        var primary = Header()
        for (key, value) in [("TELESCOP", "JWST"), ("INSTRUME", "MIRI"), ("EXP_TYPE", "MIR_IMAGE"), ("PROGRAM", "01040")] {
            primary.set(key, .string(value))
        }
        if let status { primary.set("S_SCALED", .string(status)) }
        let path = folder?.file("jw01040001001_02101_00001_mirimage_rate.fits") ?? ""
        try FITSWriter.write(
            [HDU(header: primary), HDU(name: "SCI", image: Image(axes: [4, 3], pixels: [Float](repeating: 1.5, count: 12)))],
            to: path)
        return path
    }

    func testItIsRoutedAndItsProductAndStatusAreKnown() throws {
        let classifier = Classifier(registry: registry)
        let path = try rateFile()
        XCTAssertEqual(classifier.classify(path: path).verdict, .route(step: "scaling"))
        XCTAssertNil(Classifier(registry: StepRegistry()).classify(path: path).verdict.stepName)
        let done = try rateFile(status: "COMPLETE")
        guard case .skip(.alreadyProcessed, let why) = classifier.classify(path: done).verdict else {
            return XCTFail("S_SCALED = COMPLETE is done")
        }
        XCTAssertTrue(why.contains("S_SCALED"), why)
        let product = classifier.name(of: "jw01040001001_02101_00001_mirimage_scaled_rate.fits")
        XCTAssertEqual(product.suffix, "scaled_rate")
        XCTAssertEqual(product.stem, "jw01040001001_02101_00001_mirimage")
    }

    func testItIsListedWithItsRouteProductAndOptions() throws {
        let text = StepListing(registry: registry).text
        XCTAssertTrue(text.hasPrefix("scaling — multiplies SCI by a factor\n"), text)
        XCTAssertTrue(text.contains("routed:   MIRI MIR_IMAGE _rate"), text)
        XCTAssertTrue(text.contains("writes:   *_scaled_rate.fits, S_SCALED = COMPLETE"), text)
        XCTAssertTrue(text.contains("factor = 2.0") && text.contains("multiplies SCI [0.5…4.0]"), text)
        let json = try JSONSerialization.jsonObject(with: Data(try StepListing(registry: registry).json().utf8)) as? [[String: Any]]
        XCTAssertEqual(json?.first?["product_suffix"] as? String, "scaled_rate")
    }

    func testItsSettingsAreCheckedAgainstItsOptions() throws {
        XCTAssertNoThrow(try registry.validate(settings: ["scaling": ["factor=3"]]))
        XCTAssertThrowsError(try registry.validate(settings: ["scaling": ["factor=5"]])) {
            XCTAssertTrue("\($0)".contains("0.5…4.0"), "\($0)")
        }
        XCTAssertThrowsError(try registry.validate(settings: ["scaling": ["facter=3"]])) {
            XCTAssertTrue("\($0)".contains("'facter'") && "\($0)".contains("valid: factor"), "\($0)")
        }
        XCTAssertThrowsError(try registry.validate(settings: ["scalling": ["factor=3"]])) {
            XCTAssertTrue("\($0)".contains("'scalling'") && "\($0)".contains("valid steps: scaling"), "\($0)")
        }
    }

    func testItRunsAndWritesItsSuffixStatusAndOptions() async throws {
        let input = try rateFile()
        let out = folder?.file("out") ?? ""
        let written = try await JobRunner(registry: registry, pictures: false).run(
            Job(step: "scaling", inputs: [input]), assignments: ["factor=3"], writer: ProductWriter(directory: out),
            context: StepContext(logger: Logger(label: "test.newstep")))
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, ["jw01040001001_02101_00001_mirimage_scaled_rate.fits"])
        let file = try FITSFile(path: written[0])
        let header = try file.header(at: 0)
        XCTAssertEqual(header.string("S_SCALED"), "COMPLETE")
        XCTAssertEqual(header.string("WBF_STEP"), "scaling")
        XCTAssertEqual(header.real("WBF FACTOR"), 3)
        XCTAssertEqual(try file.readImage(at: 1, as: Float.self).pixels, [Float](repeating: 4.5, count: 12))
    }
}
