import FITS
import Foundation
import Logging
import NSClean
import Pipeline
import Simulator
import TestSupport
import XCTest

/// The step's interface and its product file.
final class NSCleanStepTests: XCTestCase {
    private let context = StepContext(logger: Logger(label: "test.nsclean"))

    /// A scratch folder removed when the test ends.
    private func temporaryDirectory() throws -> String {
        let folder = try TemporaryDirectory("nsclean-tests")
        addTeardownBlock { folder.remove() }
        return folder.path
    }

    private func run(_ exposure: Exposure, _ assignments: [String] = []) async throws -> Product {
        let step = NSCleanStep()
        let parameters = try step.manifest.values(assignments)
        let products = try await step.run([exposure], parameters: parameters, context: context)
        XCTAssertEqual(products.count, 1)
        return products[0]
    }

    func testProductLayoutPassesFitsverifyAndAstropy() async throws {
        let file = try NIRSpecRateRecipe().generate(seed: 2, assignments: ["mode=fixedslit", "subarray=SUBS1600A1"])[0]
        let input = file.exposure
        let product = try await run(input, ["save_mask=true", "save_background=true"])
        XCTAssertEqual(product.fileName, "jw04242007001_03101_00001_nrs1_nsclean.fits")
        XCTAssertEqual(product.program, "04242")
        let names = product.hdus.dropFirst().compactMap(\.name)
        XCTAssertEqual(names, ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE", "MASK", "BACKGROUND"])
        XCTAssertEqual(product.hdus[0].header.string("S_CLNFNS"), "COMPLETE")
        // Only SCI changes; NaNs stay NaN.
        for name in ["ERR", "DQ", "VAR_POISSON", "VAR_RNOISE"] { XCTAssertEqual(product.hdus.hdu(named: name), input.hdu(name), name) }
        let before = try input.floatImage("SCI").pixels, after = product.hdus.hdu(named: "SCI")!.image!.floats().pixels
        XCTAssertEqual(before.map(\.isNaN), after.map(\.isNaN))
        XCTAssertNotEqual(before, after)

        let directory = try temporaryDirectory()
        let step = NSCleanStep()
        let path = try ProductWriter(directory: directory).write(
            product, step: step.manifest, parameters: try step.manifest.values(), inputs: [input])
        let verify = try ExternalTool.output("fitsverify", ["-q", "-e", path])
        XCTAssertTrue(verify.contains("verification OK"), verify)
        if ExternalTool.hasAstropy {
            try ExternalTool.output(
                "python3",
                [
                    "-c",
                    "import sys; from astropy.io import fits; h = fits.open(sys.argv[1]); h.info(); "
                        + "assert h['SCI'].data.shape == (256, 2048); assert h[0].header['S_CLNFNS'] == 'COMPLETE'", path,
                ])
        } else {
            print("astropy not installed for python3: skipping the astropy check")
        }
    }

    /// The outline (`Step.outline`) must lay the product out as `run` does, card for card and pixel type for pixel
    /// type, or the writer cannot finish what it began early and writes the whole file again.
    func testOutlineLaysOutTheProductAsRunDoes() async throws {
        let input = try NIRSpecRateRecipe().generate(seed: 3, assignments: ["mode=ifu"])[0].exposure
        let step = NSCleanStep()
        for assignments in [[], ["save_mask=true", "save_background=true"]] {
            let outline = step.outline([input], parameters: try step.manifest.values(assignments))
            let product = try await run(input, assignments)
            XCTAssertEqual(outline.map(\.fileName), [product.fileName])
            XCTAssertEqual(outline.first?.hdus.count, product.hdus.count, "\(assignments)")
            for (planned, made) in zip(outline.first?.hdus ?? [], product.hdus) {
                let name = "\(made.name ?? "primary") \(assignments)"
                XCTAssertEqual(planned.header.cards.map(\.keyword), made.header.cards.map(\.keyword), name)
                XCTAssertEqual(planned.image?.axes, made.image?.axes, name)
                XCTAssertEqual(planned.image?.bitpix, made.image?.bitpix, name)
            }
        }
    }

    /// A real NIRSpec file (CEERS MOS cut-out, 342-card header with CONTINUE strings, ASDF extension): the product
    /// keeps every extension and header, puts MASK/BACKGROUND before the ASDF extension, and passes fitsverify.
    func testRealHeadersAndASDFAreKept() async throws {
        let path = SharedData.file("real-samples/jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits")
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) not present") }
        let input = try Exposure.load(path)
        let product = try await run(input, ["save_mask=true", "save_background=true"])
        let inputNames = input.hdus.compactMap(\.name), names = product.hdus.compactMap(\.name)
        XCTAssertEqual(names, Array(inputNames.dropLast()) + ["MASK", "BACKGROUND", "ASDF"])
        XCTAssertEqual(product.hdus.hdu(named: "ASDF"), input.hdu("ASDF"))
        XCTAssertEqual(product.hdus.hdu(named: "SCI")?.header, input.hdu("SCI")?.header)
        let directory = try temporaryDirectory()
        let step = NSCleanStep()
        let written = try ProductWriter(directory: directory).write(
            product, step: step.manifest, parameters: try step.manifest.values(), inputs: [input])
        let verify = try ExternalTool.output("fitsverify", ["-q", "-e", written])
        XCTAssertTrue(verify.contains("verification OK"), verify)
    }

    func testAnInputWithoutScienceFailsAsInvalidInput() async throws {
        var exposure = try NIRSpecRateRecipe().generate(seed: 2, assignments: ["subarray=SUB2048"])[0].exposure
        exposure.removeExtension("SCI")
        do {
            _ = try await run(exposure)
            XCTFail("a rate file without SCI must be refused")
        } catch {
            XCTAssertTrue("\(error)".contains("no SCI extension"), "\(error)")
            XCTAssertEqual(FailureKind.of(error), .invalidInput)
        }
    }

    func testAllNaNInputIsMarkedSkipped() async throws {
        var exposure = try NIRSpecRateRecipe().generate(seed: 2, assignments: ["subarray=SUB2048"])[0].exposure
        exposure.setImage(Image<Float>(axes: [2048, 32], repeating: .nan), named: "SCI")
        let product = try await run(exposure)
        XCTAssertEqual(product.hdus[0].header.string("S_CLNFNS"), "SKIPPED")
        XCTAssertTrue(product.hdus.hdu(named: "SCI")!.image!.floats().pixels.allSatisfy(\.isNaN))
    }

    func testUserMaskFileOfWrongShapeNamesTheFiles() async throws {
        let directory = try temporaryDirectory()
        let maskPath = "\(directory)/mask.fits"
        try FITSWriter.write(
            [HDU(header: Header(), payload: .image(AnyImage(Image<UInt8>(axes: [100, 100], repeating: 1))))], to: maskPath)
        let exposure = try NIRSpecRateRecipe().generate(seed: 2, assignments: ["subarray=SUB2048"])[0].exposure
        do {
            _ = try await run(exposure, ["user_mask=\(maskPath)"])
            XCTFail("a 100x100 mask for a 2048x32 image must be refused")
        } catch {
            XCTAssertEqual("\(error)", "jw04242007001_03101_00001_nrs1_rate.fits: user mask has shape 100x100, the science data 2048x32")
            XCTAssertEqual(FailureKind.of(error), .invalidInput, "the same mask fails the same way: no retry")
        }
        do {
            _ = try await run(exposure, ["user_mask=\(directory)/missing.fits"])
            XCTFail("a missing mask must be refused")
        } catch {
            XCTAssertEqual("\(error)", "user_mask \(directory)/missing.fits: cannot be read")
            XCTAssertEqual(FailureKind.of(error), .invalidInput)
        }
    }

    func testUserMaskIsUsed() async throws {
        let exposure = try NIRSpecRateRecipe().generate(seed: 2, assignments: ["subarray=SUB2048"])[0].exposure
        let directory = try temporaryDirectory()
        let maskPath = "\(directory)/mask.fits"
        var mask = Image<UInt8>(axes: [2048, 32], repeating: 0)
        for x in 0..<2048 { for y in 0..<8 { mask[x, y] = 1 } }
        try FITSWriter.write([HDU(header: Header(), payload: .image(AnyImage(mask)))], to: maskPath)
        let product = try await run(exposure, ["user_mask=\(maskPath)", "save_mask=true"])
        let used = product.hdus.hdu(named: "MASK")!.image!.typed(UInt8.self)!
        // The user mask, minus unusable pixels (reference rows/columns, NaN bad pixels).
        XCTAssertTrue(zip(used.pixels, mask.pixels).allSatisfy { $0 <= $1 })
        XCTAssertGreaterThan(used.pixels.reduce(0) { $0 + Int($1) }, 2040 * 4)
        XCTAssertEqual(product.hdus[0].header.string("NSCMASK"), "mask.fits")
    }
}
