import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import SlitExtraction
import TestSupport
import XCTest

/// The step's contract: what it refuses (with a message naming the files), how it groups dithers, and the product
/// it writes (JWST x1d layout, fitsverify-clean, readable by astropy).
final class AssetStepTests: XCTestCase {
    private let context = StepContext(logger: Logger(label: "test.asset"))
    private var defaults: ParameterValues { try! AssetStep().manifest.values() }

    private func exposures(_ recipe: any SimulationRecipe = NIRSpecFixedSlitRecipe(), seed: UInt64 = 31, _ sets: [String] = []) throws
        -> [Exposure]
    {
        try recipe.generate(seed: seed, assignments: sets).map(\.exposure)
    }

    private func failure(_ inputs: [Exposure]) async -> String {
        do {
            _ = try await AssetStep().run(inputs, parameters: defaults, context: context)
            return ""
        } catch {
            XCTAssertEqual(FailureKind.of(error), .invalidInput, "bad input fails at once, without retries: \(error)")
            return "\(error)"
        }
    }

    func testMixedGratingsAreRefusedNamingTheFiles() async throws {
        let prism = try exposures(seed: 32)
        var grating = try exposures(seed: 33, ["grating=G395M"])[0]
        grating = Exposure(name: ProductName("jw04242007001_03102_00009_nrs1_cal.fits"), hdus: grating.hdus)
        let message = await failure(prism + [grating])
        XCTAssertTrue(message.contains("jw04242007001_03102_00009_nrs1_cal.fits"), message)
        XCTAssertTrue(message.contains(prism[0].name.fileName), message)
        XCTAssertTrue(message.contains("g395m") && message.contains("prism"), message)
    }

    func testMixedSlitsAreRefused() async throws {
        let a = try exposures(seed: 34)
        let b = try exposures(seed: 35, ["slit=S1600A1"])
        let message = await failure([a[0], b[1]])
        XCTAssertTrue(message.contains("S1600A1") && message.contains("S200A1"), message)
    }

    func testMissingWavelengthIsRefused() async throws {
        var inputs = try exposures(seed: 36)
        inputs[1].removeExtension("WAVELENGTH")
        let message = await failure(inputs)
        XCTAssertTrue(message.contains(inputs[1].name.fileName) && message.contains("WAVELENGTH"), message)
    }

    func testAllPixelsFlaggedIsRefused() async throws {
        var inputs = try exposures(seed: 37)
        let dq = try inputs[0].unsignedImage("DQ")
        inputs[0].setImage(Image(axes: dq.axes, repeating: DataQuality.doNotUse.rawValue), named: "DQ", version: 1)
        let message = await failure(inputs)
        XCTAssertTrue(message.contains(inputs[0].name.fileName) && message.contains("all pixels are flagged"), message)
    }

    func testSourceOffTheSlitIsRefused() async throws {
        let message = await failure(try exposures(seed: 38, ["source_offset=40"]))
        XCTAssertTrue(message.contains("no source found on the slit") || message.contains("off the slit"), message)
    }

    func testSourceOnTheSlitEdgeIsRefused() async throws {
        let message = await failure(try exposures(seed: 39, ["dithers=1", "source_offset=15.8"]))
        XCTAssertTrue(message.contains("slit"), message)
    }

    func testGroupingCollectsTheDithersOfOneSlit() throws {
        let rule = try XCTUnwrap(AssetStep().manifest.grouping)
        let a = try exposures(seed: 40), other = try exposures(seed: 41, ["slit=S400A1"])
        let keys = Set(a.map { rule.groupKey(for: $0.kind, science: $0.hdu("SCI")?.header) })
        XCTAssertEqual(keys.count, 1)
        XCTAssertNotEqual(rule.groupKey(for: other[0].kind, science: other[0].hdu("SCI")?.header), keys.first!)
        XCTAssertEqual(a[0].kind.ditherPoints, 3)
        XCTAssertFalse(rule.isComplete(Array(a.prefix(2)).map(\.kind)))
        XCTAssertTrue(rule.isComplete(a.map(\.kind)))
        XCTAssertTrue(rule.isRunnable([a[0].kind]))
    }

    func testProductIsAJWSTx1dThatVerifies() async throws {
        let inputs = try exposures(MIRILRSRecipe(), seed: 42)
        var parameters = defaults
        parameters = try AssetStep().manifest.values(["save_model=true"])
        let products = try await AssetStep().run(inputs, parameters: parameters, context: context)
        XCTAssertEqual(products.count, 1)
        XCTAssertEqual(products[0].fileName, "jw04242-o009_t001_miri_p750l_x1d.fits")
        let folder = try TemporaryDirectory("asset")
        let path = try ProductWriter(directory: folder.path).write(
            products[0], step: AssetStep().manifest, parameters: parameters, inputs: inputs)
        let hdus = try FITSFile(path: path).readAll(verifyChecksums: true)
        XCTAssertEqual(hdus[0].header.string("S_EXTR1D"), "COMPLETE")
        let table = try XCTUnwrap(hdus.hdu(named: "EXTRACT1D")?.table)
        for (name, unit) in [("WAVELENGTH", "um"), ("FLUX", "Jy"), ("FLUX_ERROR", "Jy")] {
            XCTAssertEqual(table[name]?.unit, unit, name)
        }
        XCTAssertNotNil(table["DQ"])
        XCTAssertNotNil(table["NPIXELS"])
        XCTAssertNil(table["BOX_FLUX"], "jwst would read extra columns by position")
        for key in ["PSF_A", "PSF_B", "SMOOTHMU"] { XCTAssertNotNil(hdus.hdu(named: "WBF_PSF")?.header[key], key) }
        XCTAssertEqual(hdus.hdu(named: "WBF_DITHERS")?.table?.rowCount, 2)
        XCTAssertEqual(hdus.filter { $0.name == "WBF_MODEL" }.count, 2)
        XCTAssertEqual(hdus.hdu(named: "WBF_MODEL")?.image?.axes, inputs[0].hdu("SCI")?.image?.axes)
        XCTAssertEqual(hdus.filter { $0.name == "WBF_PIXDQ" }.count, 2)
        try assertFitsverifyClean(path)
        try assertAstropyOpens(path)
    }

    private func assertFitsverifyClean(_ path: String) throws {
        let output = try ExternalTool.output("fitsverify", ["-q", path])
        XCTAssertTrue(output.contains("verification OK"), output)
    }

    /// Opens the product with astropy when the python3 on PATH has it (scripts/bootstrap installs it there).
    private func assertAstropyOpens(_ path: String) throws {
        guard ExternalTool.hasAstropy else { throw XCTSkip("no python3 with astropy here") }
        let script =
            "from astropy.io import fits; f = fits.open('\(path)'); t = f['EXTRACT1D'].data; print(len(t), t['FLUX'].unit if hasattr(t['FLUX'], 'unit') else f['EXTRACT1D'].columns['FLUX'].unit)"
        let output = try ExternalTool.output("python3", ["-c", script])
        XCTAssertTrue(output.contains("Jy"), output)
    }
}
