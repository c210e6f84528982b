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
}
