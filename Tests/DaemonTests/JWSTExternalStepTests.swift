import FITS
import Foundation
import Pipeline
import TestSupport
import XCTest

/// A real jwst stage as an external step of the real daemon: Combine1dStep, through the interop environment, on the
/// x1d product that the slit step makes of a dithered fixed-slit observation (a chain: downloads → asset → jwst).
final class JWSTExternalStepTests: XCTestCase {
    func testCombine1dStepRunsOnTheSlitStepsProduct() async throws {
        if let missing = InteropPython.unavailable {
            if missing.required { XCTFail(missing.reason) }
            throw XCTSkip(missing.reason)
        }
        let python = try XCTUnwrap(InteropPython.interpreter)
        let tree = try ExternalStepTree(steps: [])
        // CRDS kept offline: Combine1dStep needs no reference file.
        let crds = "\(tree.root)/crds"
        try FileManager.default.copyItem(atPath: "\(InteropPython.repository)/Tests/Interop/crds-offline", toPath: crds)
        try
            (try String(contentsOfFile: tree.config, encoding: .utf8) + """
                [[external_steps]]
                name = "combine1d"
                summary = "jwst's Combine1dStep"
                command = ["\(python)", "\(InteropPython.script("combine1d.py"))", "{outdir}", "{inputs}"]
                environment = { CRDS_PATH = "\(crds)", CRDS_SERVER_URL = "https://crds-offline.invalid", CRDS_OBSERVATORY = "jwst", STPIPE_DISABLE_CRDS_STEPPARS = "True" }
                instruments = ["NIRSPEC"]
                exposure_types = ["NRS_FIXEDSLIT"]
                suffixes = ["x1d"]
                product_suffix = "c1d"
                accept_products = true
                status_keyword = "S_COMB1D"
                timeout_seconds = 600

                """).write(toFile: tree.config, atomically: true, encoding: .utf8)
        _ = try WebbflowBinary.output(["simulate", "nirspec-fs-cal", "--out", tree.inbox, "--seed", "7", "--set", "dithers=3"])

        try await tree.runUntilIdle(timeout: 900)

        let products = (FileManager.default.enumerator(atPath: tree.outbox)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".fits") }
        let x1d =
            "\(tree.outbox)/\(try XCTUnwrap(products.first { $0.hasSuffix("_x1d.fits") }, "the slit step's product\n\(tree.logText.suffix(4000))"))"
        let c1d =
            "\(tree.outbox)/\(try XCTUnwrap(products.first { $0.hasSuffix("_c1d.fits") }, "jwst's product\n\(tree.logText.suffix(4000))"))"
        let primary = try FITSFile(path: c1d).header(at: 0)
        XCTAssertEqual(primary.string("WBF_STEP"), "combine1d")
        XCTAssertEqual(primary.string("S_COMB1D"), "COMPLETE", "jwst recorded its step")
        XCTAssertEqual(primary.string("WBFHS1"), try ContentHash.of(path: x1d), "provenance names the x1d it combined")
        // jwst's own tree (anchors and aliases included) is carried, made to describe the placed product.
        let placed = try FITSFile(path: c1d).readAll()
        XCTAssertEqual(placed.last?.name, "ASDF")
        let asdf = try XCTUnwrap(try ASDFExtension.file(in: placed))
        XCTAssertEqual(asdf.tree.string(at: ["meta", "filename"]), (c1d as NSString).lastPathComponent)
        XCTAssertEqual(asdf.tree.string(at: ["meta", "cal_step", "combine_1d"]), "COMPLETE", "jwst's record of its step")
        let comments = primary.cards.filter { $0.keyword == "COMMENT" }.map(\.comment).joined(separator: "\n")
        XCTAssertFalse(comments.contains("ASDF"), comments)
        try InteropPython.check("asdf_checks.py", ["open-model", c1d, "MultiCombinedSpecModel"], printing: "class MultiCombinedSpecModel")

        // One input spectrum: the combination is that spectrum, weighted by its exposure time.
        let spectrum = try XCTUnwrap(try FITSFile(path: x1d).readAll().hdu(named: "EXTRACT1D")?.table)
        let combined = try XCTUnwrap(try FITSFile(path: c1d).readAll().hdu(named: "COMBINE1D")?.table)
        let wavelengths = try XCTUnwrap(spectrum["WAVELENGTH"]?.data.doubles), fluxes = try XCTUnwrap(spectrum["FLUX"]?.data.doubles)
        let outWavelengths = try XCTUnwrap(combined["WAVELENGTH"]?.data.doubles), outFluxes = try XCTUnwrap(combined["FLUX"]?.data.doubles)
        XCTAssertEqual(outWavelengths.count, wavelengths.count)
        let peak = fluxes.filter(\.isFinite).map(abs).max() ?? 0
        XCTAssertGreaterThan(peak, 0)
        for (index, (w, f)) in zip(outWavelengths, outFluxes).enumerated() where fluxes[index].isFinite {
            // Rounding of a weighted mean of one value, in double precision.
            XCTAssertEqual(w, wavelengths[index], accuracy: 1e-12 * w)
            XCTAssertEqual(f, fluxes[index], accuracy: 1e-12 * peak, "flux at \(w) µm")
        }
        XCTAssertEqual(combined["N_INPUT"]?.data.doubles?.filter { $0 != 1 }.count, 0, "each sample from the one input")
    }
}
