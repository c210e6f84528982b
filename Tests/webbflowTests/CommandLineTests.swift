import FITS
import Foundation
import Simulator
import TestSupport
import XCTest

/// Runs the real `webbflow` executable the way a user does and checks what it prints and its exit status.
final class CommandLineTests: XCTestCase {
    static let samples = SharedData.file("real-samples")

    /// The executable built beside this test bundle (same configuration).
    static var executable: String {
        let bundle = Bundle(for: CommandLineTests.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("webbflow").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    private var folder: TemporaryDirectory?
    private var scratch: String { folder?.path ?? "" }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw XCTSkip("webbflow is not built beside the tests (\(Self.executable)); run `swift build` first")
        }
        folder = try TemporaryDirectory("webbflow-cli")
    }

    override func tearDown() { folder = nil }

    private func webbflow(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testVersionAndHelpTeach() throws {
        let version = try webbflow(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.out.isEmpty)
        for command in ["classify", "process", "simulate", "steps"] {
            let help = try webbflow([command, "--help"])
            XCTAssertEqual(help.status, 0, command)
            XCTAssertTrue(help.out.contains("Example"), "\(command) --help shows examples")
        }
    }

    func testClassifyRealFilesExitsZeroWithReasons() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.samples), "shared samples not present")
        let files = ["test1_cal.fits", "jwst_nirspec_superbias_0075.fits", "jw01075001001_03105_00009_nrca2_uncal.fits"]
        let result = try webbflow(["classify", "--json"] + files.map { "\(Self.samples)/\($0)" })
        XCTAssertEqual(result.status, 0, result.err)
        let lines: [[String: String]] = result.out.split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String] ?? [:]
        }
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[1]["skip_reason"], "reference-file")
        XCTAssertEqual(lines[2]["skip_reason"], "unsupported-mode")
        XCTAssertEqual(lines[0]["exp_type"], "NRS_FIXEDSLIT")
    }

    func testBadInputGetsOneLineErrorsNotCrashes() throws {
        let text = "\(scratch)/jw01234001001_01101_00001_nrs1_rate.fits"
        try Data("not a fits file".utf8).write(to: URL(fileURLWithPath: text))
        let spaced = "\(scratch)/with space_cal.fits"
        try FITSWriter.write([HDU()], to: spaced)
        let truncated = "\(scratch)/jw01234001001_01101_00002_nrs1_rate.fits"
        try FITSWriter.write([HDU(), HDU(name: "SCI", image: Image(width: 64, height: 64, repeating: Float.nan))], to: truncated)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try bytes.prefix(bytes.count - 3000).write(to: URL(fileURLWithPath: truncated))

        let classify = try webbflow(["classify", text, spaced, truncated])
        XCTAssertEqual(classify.status, 0)
        XCTAssertTrue(classify.out.contains("not a FITS file"))
        XCTAssertTrue(classify.out.contains("incomplete FITS file"))
        XCTAssertTrue(classify.out.contains("not a JWST file"))

        let missing = try webbflow(["classify", "\(scratch)/nope.fits"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("nope.fits") && missing.err.contains("cannot be read"))
        XCTAssertFalse(missing.err.contains("Fatal error"))

        let process = try webbflow(["process", "--out", "\(scratch)/out", text, truncated])
        XCTAssertFalse(process.err.contains("Fatal error"), process.err)
        let outputs = (try? FileManager.default.contentsOfDirectory(atPath: "\(scratch)/out")) ?? []
        XCTAssertTrue(outputs.allSatisfy { !$0.hasPrefix(".tmp") }, "no half-written product")
    }

    /// A folder stands for the JWST files inside it at any depth, as a MAST download is laid out; other files there
    /// (manifests, previews, the products' temporary files) are not taken.
    func testFoldersAreSearchedForJWSTFiles() throws {
        let download = "\(scratch)/mastDownload/JWST/jw04242007001_03101_00001_nrs1"
        try FileManager.default.createDirectory(atPath: download, withIntermediateDirectories: true)
        let file = try NIRSpecRateRecipe().generate(seed: 4, assignments: ["subarray=SUB2048"])[0]
        try FITSWriter.write(file.exposure.hdus, to: "\(download)/\(file.exposure.name.fileName)")
        try Data("manifest".utf8).write(to: URL(fileURLWithPath: "\(scratch)/mastDownload/MANIFEST.html"))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: "\(download)/.tmp-webbflow-x.fits"))

        let classify = try webbflow(["classify", "--json", "\(scratch)/mastDownload"])
        XCTAssertEqual(classify.status, 0, classify.err)
        XCTAssertTrue(classify.err.contains("1 JWST file(s) taken, 1 other file(s) left out"), classify.err)
        XCTAssertEqual(classify.out.split(separator: "\n").count, 1, classify.out)
        XCTAssertTrue(classify.out.contains(file.exposure.name.fileName), classify.out)

        let process = try webbflow(["process", "--out", "\(scratch)/out", "\(scratch)/mastDownload"])
        XCTAssertEqual(process.status, 0, process.err)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: "\(scratch)/out").sorted(),
            ["jw04242007001_03101_00001_nrs1_nsclean.fits", "jw04242007001_03101_00001_nrs1_nsclean.png"])

        let empty = "\(scratch)/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let nothing = try webbflow(["process", "--out", "\(scratch)/out", empty])
        XCTAssertTrue(nothing.err.contains("no JWST files"), nothing.err)
    }

    func testUnknownStepAndParameterAreRefusedClearly() throws {
        let unknown = try webbflow(["process", "--step", "nosuchstep", "--out", scratch, "x.fits"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.err.contains("unknown step 'nosuchstep'"), unknown.err)
        let simulate = try webbflow(["simulate", "no-such-kind", "--out", scratch])
        XCTAssertNotEqual(simulate.status, 0)
        XCTAssertTrue(simulate.err.contains("valid kinds"), simulate.err)
    }

    func testStepsListsWhatIsRegistered() throws {
        let json = try webbflow(["steps", "--json"])
        XCTAssertEqual(json.status, 0, json.err)
        let steps = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
        for step in steps {
            XCTAssertNotNil(step["name"] as? String)
            XCTAssertNotNil(step["parameters"] as? [[String: Any]])
            XCTAssertEqual(step["accepts_products"] as? Bool, false, "no configuration, no chains")
        }
    }

    /// With a configuration, the listing says which steps take other steps' products: an external one and a built-in one.
    func testStepsNamesThoseThatTakeProducts() throws {
        let config = "\(scratch)/chain.toml"
        try """
        [steps.syfu]
        accept_products = true

        [[external_steps]]
        name = "cube-build"
        command = ["true"]
        instruments = ["NIRSPEC"]
        exposure_types = ["NRS_IFU"]
        suffixes = ["atm"]
        product_suffix = "s3d"
        accept_products = true
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let listed = try webbflow(["steps", "--config", config, "--json"])
        XCTAssertEqual(listed.status, 0, listed.err)
        let steps = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]])
        let takers = steps.filter { $0["accepts_products"] as? Bool == true }.compactMap { $0["name"] as? String }
        XCTAssertEqual(takers.sorted(), ["cube-build", "syfu"])
        let text = try webbflow(["steps", "--config", config])
        XCTAssertTrue(text.out.contains("syfu — ") && text.out.contains("takes:    other steps' products too"), text.out)
    }
}
