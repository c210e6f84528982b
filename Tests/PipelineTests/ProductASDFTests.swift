import FITS
import Foundation
import Pipeline
import TestSupport
import XCTest
import Yams

/// Every product carries an ASDF extension that describes it; files jwst re-saved are accepted, corrupted ones not.
final class ProductASDFTests: XCTestCase {
    private var scratch: TemporaryDirectory?
    private var directory: String { scratch?.path ?? "" }

    override func setUpWithError() throws { scratch = try TemporaryDirectory("webbflow-asdf") }

    override func tearDown() { scratch = nil }

    private let step = StepManifest(name: "test", summary: "", routes: [], productSuffix: "test", statusKeyword: "S_TEST")

    /// A NIRSpec fixed-slit rate exposure as stdatamodels knows it, small.
    private func rateHDUs(width: Int = 32, height: Int = 16) -> [HDU] {
        var primary = Header()
        for (key, value): (String, HeaderValue) in [
            ("TELESCOP", "JWST"), ("INSTRUME", "NIRSPEC"), ("DETECTOR", "NRS1"), ("EXP_TYPE", "NRS_FIXEDSLIT"),
            ("DATAMODL", "ImageModel"), ("PROGRAM", "01345"), ("FILENAME", "jw01345062001_03101_00001_nrs1_rate.fits"),
        ] { primary.set(key, value) }
        let pixels = width * height
        var sci = Header()
        sci.set("BUNIT", "DN/s")
        return [
            HDU(header: primary),
            HDU(name: "SCI", image: Image(axes: [width, height], pixels: (0..<pixels).map { Float($0 % 97) * 0.5 }), header: sci),
            HDU(name: "ERR", image: Image(axes: [width, height], pixels: [Float](repeating: 0.1, count: pixels))),
            HDU(name: "DQ", image: Image(axes: [width, height], pixels: [UInt32](repeating: 0, count: pixels))),
        ]
    }

    private func write(_ product: Product, inputs: [Exposure] = []) throws -> (path: String, hdus: [HDU], asdf: ASDFFile) {
        let path = try ProductWriter(directory: "\(directory)/out").write(
            product, step: step, parameters: try ParameterValues(specs: []),
            inputs: inputs)
        let hdus = try FITSFile(path: path).readAll()
        return (path, hdus, try XCTUnwrap(try ASDFExtension.file(in: hdus)))
    }

    func testAProductWithoutAnyTreeGetsANewOneLast() throws {
        let name = "jw01345062001_03101_00001_nrs1_test.fits"
        let (_, hdus, asdf) = try write(Product(fileName: name, hdus: rateHDUs(), program: "01345"))
        XCTAssertEqual(hdus.map { $0.name ?? "" }, ["", "SCI", "ERR", "DQ", "ASDF"])
        XCTAssertEqual(hdus[0].header.string("FILENAME"), name)
        XCTAssertEqual(asdf.tree.string(at: ["asdf_library", "name"]), "webbflow")
        let entries = try XCTUnwrap(asdf.tree.node(at: ["history", "entries"])?.sequence)
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?.tag.description, "tag:stsci.edu:asdf/core/history_entry-1.0.0")
        XCTAssertTrue(entries.first?["description"]?.string?.contains("step test") == true)
    }

    private let block = ASDFBlock(
        bytes: [0xD3, 0x42, 0x4C, 0x4B, 0, 48] + [UInt8](repeating: 0, count: 8)
            + [0, 0, 0, 0, 0, 0, 0, 4] + [0, 0, 0, 0, 0, 0, 0, 4] + [0, 0, 0, 0, 0, 0, 0, 4] + [UInt8](repeating: 7, count: 16) + [
                1, 2, 3, 4,
            ])

    /// A rate file on disk whose tree holds a file name, a FITS hash, a stand-in gwcs, array references and a block.
    private func inputWithTree() throws -> Exposure {
        let inputName = "jw01345062001_03101_00001_nrs1_rate.fits"
        var input = ASDFFile.newProduct(writtenBy: ASDFSoftware(name: "asdf", version: "5.4.0"))
        input.tree.set(ASDFTree.string(inputName), at: ["meta", "filename"])
        input.tree.set(ASDFTree.string("ImageModel"), at: ["meta", "model_type"])
        input.tree.set(
            ASDFTree.mapping([("name", ASDFTree.string("native"))], tag: Tag(Tag.Name(rawValue: "tag:stsci.edu:gwcs/wcs-1.2.0"))),
            at: ["meta", "wcs"])
        input.tree.set(ASDFTree.string("0123abcd"), at: ["_fits_hash"])
        input.addArrayReferences(for: rateHDUs())
        input.blocks = [block]
        let inputPath = "\(directory)/\(inputName)"
        try FITSWriter.write(try ASDFExtension.replacing(in: rateHDUs(), with: input), to: inputPath)
        let exposure = try Exposure.load(inputPath)
        XCTAssertEqual(exposure.warnings, [])
        return exposure
    }

    /// The input's tree is carried: its blocks byte for byte, its file name and model type replaced by the
    /// product's, its stale FITS hash dropped, its array references made true to the product's HDUs, and its gwcs
    /// left out once the science grid changed.
    func testTheInputTreeIsCarriedAndDescribesTheProduct() throws {
        let exposure = try inputWithTree()
        // The step oversamples SCI along y, drops ERR, and writes another model.
        var hdus = exposure.hdus.filter { $0.name != "ERR" }
        hdus[1].payload = .image(AnyImage(Image(axes: [32, 48], pixels: [Float](repeating: 1, count: 32 * 48))))
        hdus[0].header.set("DATAMODL", "IFUImageModel")
        let name = "jw01345062001_03101_00001_nrs1_test.fits"
        let (_, written, asdf) = try write(Product(fileName: name, hdus: hdus, program: "01345"), inputs: [exposure])
        XCTAssertNil(asdf.tree.node(at: ["meta", "wcs"]), "a gwcs of the native grid is not carried onto another grid")
        XCTAssertTrue(written[0].header.cards.contains { $0.comment.contains("gwcs (ASDF meta.wcs) was not carried") })
        XCTAssertEqual(asdf.tree.string(at: ["meta", "model_type"]), "IFUImageModel")
        XCTAssertEqual(written.last?.name, "ASDF")
        XCTAssertEqual(written.filter { $0.name == "ASDF" }.count, 1)
        XCTAssertEqual(asdf.tree.string(at: ["meta", "filename"]), name)
        XCTAssertEqual(written[0].header.string("FILENAME"), name)
        XCTAssertNil(asdf.tree.node(at: ["_fits_hash"]))
        XCTAssertEqual(asdf.blocks, [block])
        XCTAssertEqual(asdf.tree.node(at: ["data", "shape"])?.sequence?.map(\.int), [48, 32])
        XCTAssertEqual(asdf.tree.node(at: ["dq", "shape"])?.sequence?.map(\.int), [16, 32])
        XCTAssertNil(asdf.tree.node(at: ["err"]), "the reference to the dropped ERR is removed")
        XCTAssertEqual(asdf.tree.string(at: ["asdf_library", "name"]), "webbflow")
    }

    /// A step that keeps the science grid (NSClean) keeps the input's gwcs.
    func testTheGWCSIsCarriedWhenTheGridIsUnchanged() throws {
        let exposure = try inputWithTree()
        let (_, _, asdf) = try write(
            Product(fileName: "p.fits", hdus: exposure.hdus.filter { $0.name != "ASDF" }, program: "01345"),
            inputs: [exposure])
        XCTAssertEqual(asdf.tree.node(at: ["meta", "wcs"])?.tag.description, "tag:stsci.edu:gwcs/wcs-1.2.0")
        XCTAssertEqual(asdf.tree.string(at: ["meta", "wcs", "name"]), "native")
    }

    /// A tree the step edited wins over the input's.
    func testAStepsOwnTreeIsKept() throws {
        var own = ASDFFile.newProduct(writtenBy: Provenance.software)
        own.tree.set(ASDFTree.string("edited by the step"), at: ["meta", "note"])
        let hdus = try ASDFExtension.replacing(in: rateHDUs(), with: own)
        let inputPath = "\(directory)/jw01345062001_03101_00001_nrs1_rate.fits"
        try FITSWriter.write(rateHDUs(), to: inputPath)
        let (_, _, asdf) = try write(Product(fileName: "p.fits", hdus: hdus, program: "01345"), inputs: [try Exposure.load(inputPath)])
        XCTAssertEqual(asdf.tree.string(at: ["meta", "note"]), "edited by the step")
    }

    /// stdatamodels opens a product as the class its headers name, validates it without a warning, and a jwst step
    /// runs on it by file name (no `Extension 'ASDF' not found`).
    func testJwstOpensTheProductAndRunsAStepOnItByName() throws {
        let (path, _, _) = try write(Product(fileName: "jw01345062001_03101_00001_nrs1_test.fits", hdus: rateHDUs(), program: "01345"))
        try InteropPython.check("asdf_checks.py", ["open-model", path, "ImageModel"], printing: "class ImageModel")
        try InteropPython.check("asdf_checks.py", ["step-by-name", path], printing: "pixel_replace ran on the file name")
    }

    /// A product jwst re-saved (new header, old CHECKSUM) is read with a warning naming the HDU; the same file
    /// with one data byte flipped is refused.
    func testAFileJwstReSavedIsAcceptedWithAWarningAndACorruptedOneIsNot() throws {
        let (path, _, _) = try write(Product(fileName: "jw01345062001_03101_00001_nrs1_test.fits", hdus: rateHDUs(), program: "01345"))
        let resaved = "\(directory)/resaved.fits"
        try InteropPython.check("asdf_checks.py", ["resave", path, resaved], printing: "saved")
        let exposure = try Exposure.load(resaved)
        XCTAssertFalse(exposure.warnings.isEmpty, "the edited header is reported")
        XCTAssertTrue(exposure.warnings.allSatisfy { $0.contains("CHECKSUM does not match but DATASUM does") }, "\(exposure.warnings)")
        XCTAssertEqual(exposure.hdu("SCI")?.image?.floats().pixels, rateHDUs()[1].image?.floats().pixels)

        let file = try FITSFile(path: resaved)
        let sci = try XCTUnwrap(try file.index(named: "SCI"))
        XCTAssertTrue(try file.records(at: sci).contains { $0.hasPrefix("DATASUM") }, "jwst kept SCI's DATASUM")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: resaved))
        bytes[try file.endOfData(hdu: sci) - 2880 + 100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: resaved))
        XCTAssertThrowsError(try Exposure.load(resaved)) { error in
            XCTAssertEqual((error as? FITSError)?.kind, .checksumMismatch)
            XCTAssertTrue("\(error)".contains("HDU \(sci): DATASUM"), "\(error)")
        }
    }
}
