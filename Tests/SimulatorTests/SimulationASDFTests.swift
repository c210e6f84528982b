import FITS
import Foundation
import Simulator
import TestSupport
import XCTest

/// Simulated files carry an ASDF extension as MAST files do.
final class SimulationASDFTests: XCTestCase {
    func testSimulatedFilesCarryATreeThatDescribesThem() throws {
        let folder = try TemporaryDirectory("sim-asdf")
        let path = try XCTUnwrap(try SimulationWriter.write(MIRILRSRecipe().generate(seed: 3, assignments: []), to: folder.path).first)
        let hdus = try FITSFile(path: path).readAll()
        XCTAssertEqual(hdus.last?.name, "ASDF")
        let asdf = try XCTUnwrap(try ASDFExtension.file(in: hdus))
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        XCTAssertEqual(asdf.tree.string(at: ["meta", "filename"]), fileName)
        let model = try XCTUnwrap(hdus[0].header.string("DATAMODL"))
        XCTAssertEqual(asdf.tree.string(at: ["meta", "model_type"]), model)
        XCTAssertEqual(asdf.tree.string(at: ["data", "source"]), "fits:SCI,1")
        XCTAssertEqual(
            asdf.tree.node(at: ["data", "shape"])?.sequence?.map(\.int), hdus.hdu(named: "SCI")?.image.map { Array($0.axes.reversed()) })
        XCTAssertEqual(asdf.tree.string(at: ["dq", "datatype"]), "uint32")
        try InteropPython.check("asdf_checks.py", ["open-model", path, model], printing: "meta.filename \(fileName)")
    }

    /// A nod-subtracted ALLSLITS file opens in jwst's datamodels as MAST's do: a MultiSlitModel with the five slits.
    func testAllSlitsFileOpensAsAMultiSlitModel() throws {
        let folder = try TemporaryDirectory("sim-multislit")
        let files = try NIRSpecFixedSlitRecipe().generate(seed: 5, assignments: ["subarray=ALLSLITS", "nod_subtracted=true"])
        let path = try XCTUnwrap(try SimulationWriter.write(files, to: folder.path).first)
        try InteropPython.check(
            "mast_layouts.py", ["multislit", path, "S200A1", "S200A2", "S400A1", "S1600A1", "S200B1"],
            printing: "class MultiSlitModel; 5 slits")
    }

    /// A MOS file opens as a MultiSlitModel with its slitlets, BARSHADOW and MSA keywords.
    func testMOSFileOpensAsAMultiSlitModel() throws {
        let folder = try TemporaryDirectory("sim-mos")
        let files = try NIRSpecMOSRecipe().generate(seed: 6, assignments: [])
        let path = try XCTUnwrap(try SimulationWriter.write(files, to: folder.path).first)
        let primary = files[0].exposure.primaryHeader
        XCTAssertEqual(primary.string("NOD_TYPE"), "3-SHUTTER-SLITLET")
        XCTAssertEqual(primary.integer("MSAMETID"), 1)
        XCTAssertEqual(primary.string("S_BKDSUB"), "COMPLETE")
        XCTAssertEqual(files[0].exposure.hdus.filter { $0.name == "BARSHADOW" }.map(\.version), [1, 2, 3, 4])
        try InteropPython.check("mast_layouts.py", ["multislit", path, "11", "18", "25", "32"], printing: "class MultiSlitModel; 4 slits")
    }
}
