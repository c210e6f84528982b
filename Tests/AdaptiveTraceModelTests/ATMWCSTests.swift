import AdaptiveTraceModel
import FITS
import Foundation
import Logging
import Pipeline
import TestSupport
import XCTest
import Yams

/// The ATM product keeps the input's gwcs with the `coordinates` frame jwst 3.0's adaptive_trace_model adds: checked
/// against jwst's own product on IFU cal files with a real gwcs (`../shared/tools/jwst-wcs`), both as ASDF trees
/// and by evaluating the WCS in jwst's Python environment (`Tests/Interop/atm_wcs.py`).
final class ATMWCSTests: XCTestCase {
    override class func tearDown() {
        JWSTReferenceRuns.folder?.remove()
        super.tearDown()
    }

    func testMIRITreeIsJWSTs() async throws {
        try await assertTreeIsJWSTs(JWSTReferenceRuns.miri.value)
    }

    func testNIRSpecTreeIsJWSTs() async throws {
        try await assertTreeIsJWSTs(JWSTReferenceRuns.nirspec.value)
    }

    func testMIRIProductWorksInJWST() async throws {
        try await assertWorksInJWST(JWSTReferenceRuns.miri.value)
    }

    func testNIRSpecProductWorksInJWST() async throws {
        try await assertWorksInJWST(JWSTReferenceRuns.nirspec.value)
    }

    /// Simulated inputs carry no ASDF tree: the product says it has no gwcs rather than pretending.
    func testInputWithoutGWCSIsNoted() async throws {
        let run = try await SharedRuns.pointN3.value
        XCTAssertNil(run.file.exposure.hdu("ASDF"), "the simulator writes no ASDF tree")
        let comments = run.product.hdus[0].header.cards.filter { $0.kind == .comment }.map(\.comment).joined(separator: " ")
        XCTAssertTrue(comments.contains("the input has no ASDF tree, hence no gwcs"), comments)
    }

    /// The meta.wcs, photometry and step status of our tree equal those of jwst's product node for node: the same
    /// frames, transforms, parameters and bounding boxes, to the last digit.
    private func assertTreeIsJWSTs(_ run: JWSTReferenceRun) throws {
        let ours = try XCTUnwrap(ASDFExtension.file(in: Exposure.load(run.ours).hdus)).tree
        let theirs = try XCTUnwrap(ASDFExtension.file(in: Exposure.load(run.jwst).hdus)).tree
        for path: [ASDFPathComponent] in [["meta", "wcs"], ["meta", "photometry"], ["meta", "cal_step", "adaptive_trace_model"]] {
            let expected = try XCTUnwrap(theirs.node(at: path), "jwst's tree has \(path)")
            let actual = try XCTUnwrap(ours.node(at: path), "our tree has \(path)")
            XCTAssertNil(NodeDifference.first(actual, expected, at: path.map(\.description).joined(separator: ".")))
        }
        let original = try XCTUnwrap(ASDFExtension.file(in: Exposure.load(run.cal).hdus)).tree
        XCTAssertNotNil(
            NodeDifference.first(
                try XCTUnwrap(original.node(at: ["meta", "wcs"])), try XCTUnwrap(ours.node(at: ["meta", "wcs"])),
                at: "meta.wcs"), "the input's gwcs was edited")
    }

    /// In jwst's Python: the product opens and validates without a warning, its coordinates → detector transform and
    /// its world coordinates agree with jwst's product and with the documented pixel map, and cube_build takes it.
    private func assertWorksInJWST(_ run: JWSTReferenceRun) throws {
        let result = try XCTUnwrap(InteropPython.run("atm_wcs.py", [run.ours, run.jwst, run.cal, "3", "--cubepar", run.cubepar]))
        XCTAssertTrue(result.succeeded, result.output)
        let json = try XCTUnwrap(result.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), result.output)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(report["model"] as? String, "IFUImageModel")
        XCTAssertEqual((report["warnings"] as? [String]) ?? ["missing"], [], "datamodels.open and validate warn")
        XCTAssertEqual(report["frames"] as? [String], report["jwst_frames"] as? [String])
        XCTAssertEqual((report["frames"] as? [String])?.first, "coordinates")
        XCTAssertEqual(report["bounding_box"] as? NSObject, report["jwst_bounding_box"] as? NSObject)
        // The brief's tolerance for pixel positions; identical transforms give 0, the documented map ~1e-13.
        XCTAssertLessThanOrEqual(try XCTUnwrap(report["coordinates_vs_jwst_px"] as? Double), 1e-6)
        XCTAssertLessThanOrEqual(try XCTUnwrap(report["coordinates_vs_truth_px"] as? Double), 1e-6)
        XCTAssertEqual(report["coordinates_nan_mismatch"] as? Int, 0)
        XCTAssertEqual(report["truth_nan_mismatch"] as? Int, 0)
        let world = try XCTUnwrap(report["world_vs_jwst"] as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(world["finite"] as? Int), 1000, "the grid reaches the slices")
        XCTAssertEqual(world["nan_mismatch"] as? Int, 0)
        // 1e-6 px of a ~0.1"/px, ~1e-3 um/px IFU pixel: 1e-7 arcsec and 1e-9 um.
        XCTAssertLessThanOrEqual(try XCTUnwrap(world["ra_arcsec"] as? Double), 1e-7)
        XCTAssertLessThanOrEqual(try XCTUnwrap(world["dec_arcsec"] as? Double), 1e-7)
        XCTAssertLessThanOrEqual(try XCTUnwrap(world["wavelength_um"] as? Double), 1e-9)
        let cube = try XCTUnwrap(report["cube"] as? [String: Any])
        let jwstCube = try XCTUnwrap(report["jwst_cube"] as? [String: Any])
        XCTAssertNil(cube["error"], "cube_build on our product: \(cube)")
        XCTAssertEqual(cube["shape"] as? [Int], jwstCube["shape"] as? [Int], "the same cube grid as from jwst's product")
        XCTAssertGreaterThan(try XCTUnwrap(cube["finite"] as? Double), 0.5 * (try XCTUnwrap(jwstCube["finite"] as? Double)))
    }
}

/// An IFU cal file with a real gwcs, jwst's ATM product on it and ours (oversample 3).
struct JWSTReferenceRun: Sendable {
    var cal: String
    var jwst: String
    var ours: String
    /// The synthetic cube_build parameters the tool ships for the instrument.
    var cubepar: String
}

/// The reference runs, made once per test process (jwst's ATM takes 80–95 s a file); they throw `XCTSkip` where
/// `../shared/tools/jwst-wcs` (absent on CI) or the interop Python is missing.
enum JWSTReferenceRuns {
    static let tool = URL(fileURLWithPath: SharedData.path).deletingLastPathComponent().appendingPathComponent("tools/jwst-wcs").path
    nonisolated(unsafe) static let folder = try? TemporaryDirectory("atm-wcs")
    static let miri = Task { try await make("miri", cubepar: "refs/miri/synth_miri_cubepar.fits") }
    static let nirspec = Task { try await make("nirspec", cubepar: "refs/nirspec-synthetic/synth_nirspec_cubepar.fits") }

    private static func make(_ instrument: String, cubepar: String) async throws -> JWSTReferenceRun {
        guard FileManager.default.fileExists(atPath: "\(tool)/make_ifu_cal.py") else {
            throw XCTSkip("no \(tool): the IFU cal files with a real gwcs come from the shared folder")
        }
        if let missing = InteropPython.unavailable { throw XCTSkip(missing.reason) }
        let python = try XCTUnwrap(InteropPython.interpreter)
        let folder = try XCTUnwrap(folder).path
        var run = JWSTReferenceRun(
            cal: "\(folder)/\(instrument)_cal.fits", jwst: "\(folder)/\(instrument)_jwst_atm.fits",
            ours: "", cubepar: "\(tool)/\(cubepar)")
        let made = try XCTUnwrap(ExternalTool.run(python, ["\(tool)/make_ifu_cal.py", instrument, run.cal, "--atm", run.jwst]))
        guard made.succeeded else { throw ReferenceRunError(description: "make_ifu_cal.py \(instrument): \(made)") }
        let exposure = try Exposure.load(run.cal)
        let step = AdaptiveTraceModelStep()
        let parameters = try step.manifest.values(["oversample=3"])
        let products = try await step.run([exposure], parameters: parameters, context: StepContext(logger: Logger(label: "atm-wcs")))
        let product = try XCTUnwrap(products.first)
        run.ours = try ProductWriter(directory: folder).write(product, step: step.manifest, parameters: parameters, inputs: [exposure])
        return run
    }
}

/// jwst's reference products could not be made.
struct ReferenceRunError: Error, CustomStringConvertible {
    var description: String
}

/// Where two ASDF nodes first differ, for a failure message that names the path; nil when they are equal.
enum NodeDifference {
    static func first(_ actual: Node, _ expected: Node, at path: String) -> String? {
        switch (actual, expected) {
        case (.mapping(let a), .mapping(let e)):
            if a.tag != e.tag { return "\(path): tag \(a.tag) instead of \(e.tag)" }
            let keys = Array(a.keys.compactMap(\.string)), expectedKeys = Array(e.keys.compactMap(\.string))
            if keys != expectedKeys { return "\(path): keys \(keys) instead of \(expectedKeys)" }
            for key in keys {
                if let difference = first(a[key]!, e[key]!, at: "\(path).\(key)") { return difference }
            }
            return nil
        case (.sequence(let a), .sequence(let e)):
            if a.count != e.count { return "\(path): \(a.count) items instead of \(e.count)" }
            for index in a.indices {
                if let difference = first(a[index], e[index], at: "\(path)[\(index)]") { return difference }
            }
            return nil
        default:
            return actual == expected ? nil : "\(path): \(actual) instead of \(expected)"
        }
    }
}
