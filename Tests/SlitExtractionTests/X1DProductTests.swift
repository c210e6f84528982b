import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import SlitExtraction
import TestSupport
import XCTest

/// The x1d as written to disk: jwst 3.0's EXTRACT1D layout filled from the fit, Webbflow's own results in `WBF_*`
/// extensions, and the combined-product keywords and members table.
final class X1DProductTests: XCTestCase {
    private let context = StepContext(logger: Logger(label: "test.x1d"))
    private var folder: TemporaryDirectory!

    override func setUpWithError() throws { folder = try TemporaryDirectory("x1d") }

    /// Runs the step on a simulated observation and reads the written product back.
    private func product(
        _ recipe: any SimulationRecipe, seed: UInt64, _ settings: [String] = [],
        edit: (inout [Exposure]) -> Void = { _ in }
    ) async throws -> (hdus: [HDU], inputs: [Exposure], path: String) {
        var inputs = try recipe.generate(seed: seed, assignments: settings).map(\.exposure)
        edit(&inputs)
        let parameters = try AssetStep().manifest.values()
        let products = try await AssetStep().run(inputs, parameters: parameters, context: context)
        let path = try ProductWriter(directory: folder.path).write(
            products[0], step: AssetStep().manifest, parameters: parameters, inputs: inputs)
        return (try FITSFile(path: path).readAll(verifyChecksums: true), inputs, path)
    }

    func testExtract1DHasJWSTColumnsInOrderWithTheirUnits() async throws {
        let (hdus, _, _) = try await product(NIRSpecFixedSlitRecipe(), seed: 51)
        let table = try XCTUnwrap(hdus.hdu(named: "EXTRACT1D")?.table)
        XCTAssertEqual(
            table.columns.map(\.name),
            [
                "WAVELENGTH", "FLUX", "FLUX_ERROR", "FLUX_VAR_POISSON", "FLUX_VAR_RNOISE", "FLUX_VAR_FLAT",
                "SURF_BRIGHT", "SB_ERROR", "SB_VAR_POISSON", "SB_VAR_RNOISE", "SB_VAR_FLAT", "DQ",
                "BACKGROUND", "BKGD_ERROR", "BKGD_VAR_POISSON", "BKGD_VAR_RNOISE", "BKGD_VAR_FLAT", "NPIXELS",
            ])
        XCTAssertEqual(
            table.columns.map(\.unit),
            [
                "um", "Jy", "Jy", "Jy^2", "Jy^2", "Jy^2", "MJy/sr", "MJy/sr", "MJy^2 / sr^2", "MJy^2 / sr^2", "MJy^2 / sr^2", "",
                "MJy/sr", "MJy/sr", "MJy^2 / sr^2", "MJy^2 / sr^2", "MJy^2 / sr^2", "",
            ])
        for column in table.columns where column.name != "DQ" {
            guard case .float64 = column.data else { return XCTFail("\(column.name) is not float64") }
        }
        guard case .uint32 = table["DQ"]!.data else { return XCTFail("DQ is not uint32") }
        let header = hdus.hdu(named: "EXTRACT1D")!.header
        XCTAssertEqual(header.integer("EXTVER"), 1)
        XCTAssertEqual(header.string("SLTNAME"), "S200A1")
        XCTAssertEqual(header.string("SRCTYPE"), "POINT")
        XCTAssertEqual(header.integer("SPORDER"), 1)
        XCTAssertEqual(header.integer("SOURCEID"), 1)
        XCTAssertEqual(header.integer("DISPAXIS"), 1)
        XCTAssertEqual(header.integer("EXTRXSTP"), 420)
        XCTAssertEqual(header.integer("EXTRYSTP"), 32)
        let wavelength = table["WAVELENGTH"]!.data.doubles!
        XCTAssertTrue(zip(wavelength, wavelength.dropFirst()).allSatisfy { $0 < $1 }, "increasing wavelength")
    }

    /// The three variance parts add up to FLUX_ERROR² and follow the inputs: a part the inputs lack is zero.
    func testVariancePartsAddUpToTheErrorAndFollowTheInputs() async throws {
        let (hdus, _, _) = try await product(NIRSpecFixedSlitRecipe(), seed: 52)
        let table = hdus.hdu(named: "EXTRACT1D")!.table!
        let error = table["FLUX_ERROR"]!.data.doubles!
        let parts = ["FLUX_VAR_POISSON", "FLUX_VAR_RNOISE", "FLUX_VAR_FLAT"].map { table[$0]!.data.doubles! }
        for i in error.indices where error[i].isFinite {
            // Double arithmetic on shares that sum to 1: equality to a few ulps of the square.
            XCTAssertEqual(parts[0][i] + parts[1][i] + parts[2][i], error[i] * error[i], accuracy: 1e-12 * error[i] * error[i])
        }
        // The simulated source is far above the read noise on the trace: the Poisson part dominates at the peak.
        let peak = table["FLUX"]!.data.doubles!.indices.max { table["FLUX"]!.data.doubles![$0] < table["FLUX"]!.data.doubles![$1] }!
        XCTAssertGreaterThan(parts[0][peak], parts[1][peak])

        let (noFlat, _, _) = try await product(NIRSpecFixedSlitRecipe(), seed: 52) { inputs in
            for i in inputs.indices { inputs[i].removeExtension("VAR_FLAT") }
        }
        XCTAssertTrue(noFlat.hdu(named: "EXTRACT1D")!.table!["FLUX_VAR_FLAT"]!.data.doubles!.allSatisfy { $0 == 0 || $0.isNaN })
    }

    /// BACKGROUND is the sky the fit removed at the trace, in MJy/sr, checked against the simulator's noiseless images:
    /// per column and dither, the straight line through the rows at least 5 px (over 5σ of the widest PSF) from every
    /// trace (the simulated sky is linear across the slit), evaluated at the dither's true trace, then averaged.
    func testBackgroundIsTheSimulatedSkyInMegajanskyPerSteradian() async throws {
        let files = try NIRSpecFixedSlitRecipe().generate(seed: 57, assignments: [])
        let inputs = files.map(\.exposure)
        let parameters = try AssetStep().manifest.values()
        let product = try await AssetStep().run(inputs, parameters: parameters, context: context)[0]
        let table = try XCTUnwrap(product.hdus.hdu(named: "EXTRACT1D")?.table)
        XCTAssertEqual(table["BACKGROUND"]?.unit, "MJy/sr")
        let area = try XCTUnwrap(inputs[0].hdu("SCI")?.header.real("PIXAR_SR"))
        let fitted = table["BACKGROUND"]!.data.doubles!.map { $0 * area }
        let header = try XCTUnwrap(files[0].truth?[0].header)
        let reference = header.real("TRCREF")!, slope = header.real("TRCSLOPE")!, curvature = header.real("TRCCURV")!
        let truth: [[Double]] = try files.enumerated().map { f, file in
            let noiseless = try XCTUnwrap(file.truth?.hdu(named: "NOISELESS")?.image).floats()
            let (width, height) = (noiseless.axes[0], noiseless.axes[1])
            let traces = (1...files.count).map { header.real("TRCY\($0)")! }
            let far = (0..<height).filter { y in traces.allSatisfy { abs(Double(y) - $0) >= 5 } }.map(Double.init)
            let meanY = far.reduce(0, +) / Double(far.count)
            return (0..<width).map { x in
                let values = far.map { Double(noiseless.pixels[Int($0) * width + x]) }
                let meanV = values.reduce(0, +) / Double(values.count)
                let covariance = zip(far, values).reduce(0.0) { $0 + ($1.0 - meanY) * ($1.1 - meanV) }
                let variance = far.reduce(0.0) { $0 + ($1 - meanY) * ($1 - meanY) }
                let u = Double(x) - reference
                let centre = traces[f] + slope * u + curvature * u * u
                return meanV + covariance / variance * (centre - meanY)
            }
        }
        let dithers = Double(truth.count)
        let ratios: [Double] = (3..<(fitted.count - 3)).map { k in
            let sky: Double = truth.reduce(0) { $0 + $1[k] } / dithers
            return fitted[k] / sky - 1
        }
        let count = Double(ratios.count)
        let mean: Double = ratios.reduce(0, +) / count
        let squares: Double = ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let spread = (squares / (count - 1)).squareRoot()
        // Unbiased: the mean relative error within 4 standard errors of the columns' own scatter.
        XCTAssertLessThan(abs(mean), 4 * spread / count.squareRoot(), "mean \(mean), scatter \(spread)")
    }

    func testWebbflowResultsAreInTheirOwnExtensions() async throws {
        let (hdus, inputs, _) = try await product(MIRILRSRecipe(), seed: 53)
        let spectrum = hdus.hdu(named: "EXTRACT1D")!.table!
        let box = try XCTUnwrap(hdus.hdu(named: "WBF_BOX", version: 1)?.table)
        XCTAssertEqual(box["WAVELENGTH"]!.data.doubles!, spectrum["WAVELENGTH"]!.data.doubles!)
        XCTAssertEqual(box["FLUX"]?.unit, "Jy")
        // The box and the fit measure the same source: their fluxes agree to the box's noise on average.
        let fit = spectrum["FLUX"]!.data.doubles!, boxFlux = box["FLUX"]!.data.doubles!
        let ratio = zip(boxFlux, fit).filter { $0.0.isFinite && $0.1 > 0 }.map { $0.0 / $0.1 }.sorted()
        XCTAssertEqual(ratio[ratio.count / 2], 1, accuracy: 0.05)
        let psf = try XCTUnwrap(hdus.hdu(named: "WBF_PSF", version: 1))
        XCTAssertNotNil(psf.header.real("PSF_A"))
        XCTAssertEqual(psf.table!["SIGMA"]!.data.doubles!.count, fit.count)
        let dithers = try XCTUnwrap(hdus.hdu(named: "WBF_DITHERS", version: 1)?.table)
        XCTAssertEqual(dithers.rowCount, inputs.count)
        guard case .string(let names, _) = dithers["FILENAME"]!.data else { return XCTFail("FILENAME is not text") }
        XCTAssertEqual(names, inputs.map(\.name.fileName))
        XCTAssertNil(hdus.hdu(named: "MODEL"))
    }

    func testCombinedHeaderBlendsTheMembersAndListsThem() async throws {
        let (hdus, inputs, path) = try await product(NIRSpecFixedSlitRecipe(), seed: 54)
        let primary = hdus[0].header
        XCTAssertEqual(primary.string("FILENAME"), URL(fileURLWithPath: path).lastPathComponent)
        XCTAssertEqual(primary.string("S_EXTR1D"), "COMPLETE")
        XCTAssertEqual(primary.string("DATAMODL"), "MultiSpecModel")
        let exposureTimes = inputs.compactMap { $0.primaryHeader.real("EFFEXPTM") }
        XCTAssertEqual(exposureTimes.count, inputs.count)
        XCTAssertEqual(primary.real("EFFEXPTM")!, exposureTimes.reduce(0, +), accuracy: 1e-9 * exposureTimes.reduce(0, +))
        XCTAssertEqual(primary.real("EXPSTART"), inputs.compactMap { $0.primaryHeader.real("EXPSTART") }.min())
        XCTAssertEqual(primary.string("GRATING"), "PRISM")
        let members = try XCTUnwrap(hdus.hdu(named: "HDRTAB")?.table)
        XCTAssertEqual(members.rowCount, inputs.count)
        guard case .string(let files, _) = members["FILENAME"]!.data else { return XCTFail("FILENAME is not text") }
        XCTAssertEqual(files, inputs.map(\.name.fileName))
        XCTAssertEqual(members["EFFEXPTM"]?.data.doubles, exposureTimes)
    }

    /// The product as jwst 3.0's Python ecosystem reads it (`Tests/Interop/x1d_checks.py`: datamodels, Combine1dStep
    /// by file name, specutils without a format, Specviz), for both slit modes.
    func testJWSTReadsTheProductAsWritten() async throws {
        for (recipe, seed) in [(NIRSpecFixedSlitRecipe() as any SimulationRecipe, UInt64(55)), (MIRILRSRecipe(), 56)] {
            let (_, _, path) = try await product(recipe, seed: seed)
            try InteropPython.check("x1d_checks.py", [path], printing: "ok: Specviz().load_data")
        }
    }
}
