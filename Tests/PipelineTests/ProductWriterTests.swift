import FITS
import Foundation
import Pipeline
import TestSupport
import XCTest

final class ProductWriterTests: XCTestCase {
    private var scratch: TemporaryDirectory?
    private var directory: String { scratch?.path ?? "" }

    override func setUpWithError() throws { scratch = try TemporaryDirectory("webbflow-pipeline") }

    override func tearDown() { scratch = nil }

    private func sampleProduct(program: String = "01345", name: String = "jw01345062001_03101_00001_nrs2_test.fits") -> Product {
        var primary = Header()
        primary.set("TELESCOP", "JWST")
        primary.set("PROGRAM", .string(program))
        primary.set("S_REGION", .string(String(repeating: "POLYGON ICRS 1.0 2.0 ", count: 5)))
        return Product(
            fileName: name,
            hdus: [
                HDU(header: primary),
                HDU(name: "SCI", image: Image(axes: [16, 8], pixels: (0..<128).map { Float($0) })),
                HDU(name: "DQ", image: Image(width: 16, height: 8, repeating: UInt32(1 << 28))),
                HDU(name: "EXTRACT1D", table: Table(columns: [TableColumn(name: "WAVELENGTH", unit: "um", data: .float64([1, 2]))])),
            ], program: program)
    }

    private let step = StepManifest(
        name: "test", summary: "", routes: [], productSuffix: "test", statusKeyword: "S_TEST",
        parameters: [ParameterSpec("n_sigma", default: .real(5), help: "")])

    func testProductsCarryProvenanceAndVerify() throws {
        let writer = ProductWriter(directory: directory)
        let params = try ParameterValues(specs: step.parameters, assignments: ["n_sigma=2.5"])
        let path = try writer.write(sampleProduct(), step: step, parameters: params, inputs: [])
        let header = try FITSFile(path: path).header(at: 0)
        XCTAssertEqual(header.string("WBF_STEP"), "test")
        XCTAssertEqual(header.string("WBF_VER"), WebbflowVersion.current)
        XCTAssertEqual(header.real("WBF N_SIGMA"), 2.5)
        XCTAssertTrue(header.history.contains { $0.contains("n_sigma=2.5") })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary file survives a successful write")
        if let result = ExternalTool.run("fitsverify", [path]) {
            XCTAssertTrue(result.output.contains("0 warning(s) and 0 error(s)"), result.output)
        }
        if ExternalTool.hasAstropy {
            let count = try ExternalTool.output(
                "python3",
                ["-c", "import sys; from astropy.io import fits; h=fits.open(sys.argv[1]); h.verify('exception'); print(len(h))", path])
            XCTAssertEqual(count.trimmingCharacters(in: .whitespacesAndNewlines), "5", "four HDUs and the ASDF extension: \(count)")
        }
    }

    func testInputsAreRecordedWithTheirContentHash() throws {
        let input = "\(directory)/jw01345062001_03101_00001_nrs2_rate.fits"
        try FITSWriter.write(sampleProduct().hdus, to: input)
        let exposure = try Exposure.load(input)
        XCTAssertEqual(exposure.contentHash, try ContentHash.of(path: input))
        let out = "\(directory)/out"
        let path = try ProductWriter(directory: out).write(
            sampleProduct(), step: step, parameters: try ParameterValues(specs: step.parameters),
            inputs: [exposure])
        let header = try FITSFile(path: path).header(at: 0)
        XCTAssertEqual(header.string("WBFIN1"), "jw01345062001_03101_00001_nrs2_rate.fits")
        XCTAssertEqual(header.string("WBFHS1"), exposure.contentHash)
    }

    func testHostileNamesStayInsideTheOutbox() throws {
        let writer = ProductWriter(directory: directory, layout: .byProgram)
        let params = try ParameterValues(specs: step.parameters)
        let path = try writer.write(
            sampleProduct(program: "../../etc", name: "../../../evil/x.fits"), step: step, parameters: params, inputs: [])
        XCTAssertTrue(path.hasPrefix(directory + "/"), path)
        XCTAssertFalse(path.dropFirst(directory.count).contains(".."), path)
        XCTAssertEqual(SafeName.component("a/b\\c..d\u{0}e"), "a_b_c_d_e")
        XCTAssertEqual(SafeName.component(""), "unknown")
        XCTAssertEqual(SafeName.component(String(repeating: "x", count: 500)).count, SafeName.maximumLength)
    }

    func testAFailedWriteLeavesNothingBehind() throws {
        let bad = Product(fileName: "bad.fits", hdus: [HDU(name: "T", table: Table(columns: []))], program: "1")
        XCTAssertThrowsError(
            try ProductWriter(directory: directory).write(bad, step: step, parameters: try ParameterValues(specs: []), inputs: []))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }
}
