import Foundation
import QuickLook
import TestSupport
import XCTest

/// Every kind of product, made from simulated exposures by the real executable, opened in the JWST Python stack
/// (`Tests/Interop/product_checks.py` under `InteropPython`): the right stdatamodels class, no warning on opening
/// or validating, every mapped array and column read back as written, and an ASDF extension, without which jwst
/// steps given a file name stop at once.
final class InteropTests: XCTestCase {
    /// A simulation, the step to run on it, and the model class each product must open as.
    private struct Case {
        var kind: String
        var settings: [String] = []
        var productSuffix: String
        var model: String
    }

    private let cases = [
        Case(kind: "nirspec-rate", productSuffix: "_nsclean.fits", model: "ImageModel"),
        Case(
            kind: "nirspec-rate", settings: ["ints=2", "subarray=SUBS200A1", "mode=fixedslit"], productSuffix: "_nsclean.fits",
            model: "CubeModel"),
        Case(kind: "nirspec-ifu-cal", productSuffix: "_atm.fits", model: "IFUImageModel"),
        Case(kind: "miri-mrs-cal", productSuffix: "_atm.fits", model: "IFUImageModel"),
        Case(kind: "nirspec-fs-cal", productSuffix: "_x1d.fits", model: "MultiSpecModel"),
        Case(
            kind: "nirspec-fs-cal", settings: ["subarray=ALLSLITS", "nod_subtracted=true"], productSuffix: "_x1d.fits",
            model: "MultiSpecModel"),
        Case(kind: "nirspec-mos-cal", productSuffix: "_x1d.fits", model: "MultiSpecModel"),
        Case(kind: "miri-lrs-cal", productSuffix: "_x1d.fits", model: "MultiSpecModel"),
        Case(kind: "fusion-pair", productSuffix: "_fused_s3d.fits", model: "IFUCubeModel"),
    ]

    func testEveryProductKindOpensValidatesAndReadsBackInStdatamodels() throws {
        if let missing = InteropPython.unavailable {
            if missing.required { return XCTFail(missing.reason) }
            throw XCTSkip(missing.reason)
        }
        let folder = try TemporaryDirectory("webbflow-interop")
        var expected: [String: String] = [:]
        for (index, c) in cases.enumerated() {
            let inbox = folder.file("in\(index)"), outbox = folder.file("out\(index)")
            try ExternalTool.output(
                CommandLineTests.executable,
                ["simulate", c.kind, "--out", inbox, "--seed", "5"] + c.settings.flatMap { ["--set", $0] })
            try ExternalTool.output(CommandLineTests.executable, ["process", "--out", outbox, inbox])
            let products = try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(c.productSuffix) }
            XCTAssertFalse(products.isEmpty, "\(c.kind): no \(c.productSuffix) product")
            for product in products {
                expected["\(outbox)/\(product)"] = c.model
                // Every product has its quick-look sheet beside it.
                let sheet = try PNGPicture(contentsOf: "\(outbox)/\(product.dropLast(".fits".count)).png")
                XCTAssertEqual([sheet.width, sheet.height], [1600, 1000], product)
                XCTAssertGreaterThan(Set(sheet.pixels).count, 16, "\(product)'s sheet is not blank")
            }
        }
        let report = folder.file("report.json")
        let run = try InteropPython.run("product_checks.py", ["--json", report] + expected.keys.sorted())
        XCTAssertEqual(run?.succeeded, true, run?.output ?? "")
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertEqual(results.count, expected.count)
        for result in results {
            let path = result["path"] as? String ?? "?"
            let name = URL(fileURLWithPath: path).lastPathComponent
            XCTAssertNil(result["error"], "\(name): \(result["error"] ?? "")")
            XCTAssertEqual(result["model"] as? String, expected[path], name)
            XCTAssertEqual(result["warnings"] as? [String], [], "\(name) warns when opened or validated")
            XCTAssertEqual(result["mismatches"] as? [String], [], "\(name) is read back differently from what was written")
            XCTAssertEqual(result["asdf"] as? Bool, true, "\(name) has no ASDF extension")
        }
    }
}
