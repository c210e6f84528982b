import FITS
import Foundation
import Simulator
import XCTest

/// MIRI LRS fixed-slit cal files in both of jwst's layouts (StdatamodelsLayoutTests opens them in stdatamodels).
final class MIRILRSLayoutTests: XCTestCase {
    /// jwst 2.0 and later: a SlitModel whose SCI carries the slit keywords, dispersion along y.
    func testSlitLayoutIsASlitModel() throws {
        let files = try MIRILRSRecipe().generate(seed: 3, assignments: ["layout=slit"])
        XCTAssertEqual(files.count, 2, "one file per nod")
        let sci = try XCTUnwrap(files[0].exposure.hdu("SCI"))
        XCTAssertEqual(files[0].exposure.primaryHeader.string("DATAMODL"), "SlitModel")
        XCTAssertEqual(sci.header.string("SLTNAME"), "LRS")
        XCTAssertEqual(sci.image?.axes, [44, 380], "44 columns across the slit, 380 rows along the dispersion")
    }

    /// Before jwst 2.0: an ImageModel, the same pixels without slit keywords or EXTVER.
    func testImageLayoutIsAnImageModel() throws {
        let files = try MIRILRSRecipe().generate(seed: 3, assignments: ["layout=image"])
        let slit = try MIRILRSRecipe().generate(seed: 3, assignments: ["layout=slit"])
        XCTAssertEqual(files[0].exposure.primaryHeader.string("DATAMODL"), "ImageModel")
        let sci = try XCTUnwrap(files[0].exposure.hdu("SCI"))
        XCTAssertNil(sci.header.string("SLTNAME"))
        XCTAssertNil(sci.header.integer("EXTVER"))
        XCTAssertEqual(sci.header.integer("DISPAXIS"), 2)
        XCTAssertEqual(
            sci.image?.floats().pixels.map(\.bitPattern), slit[0].exposure.hdu("SCI")?.image?.floats().pixels.map(\.bitPattern),
            "the same seed draws the same pixels in either layout")
    }
}
