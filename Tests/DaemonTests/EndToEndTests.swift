import Daemon
import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// The daemon in this process with real inotify on a temporary tree, fed the way real downloaders write.
final class EndToEndTests: XCTestCase {
    func testDownloadStylesEachGiveExactlyOneProductAndSkipsAreRecorded() async throws {
        let harness = try DaemonHarness(settle: 0.3)
        try await harness.start()
        let obs = "mastDownload/JWST/jw04242001001_03101_00001_nrs1"

        // astroquery: in place, in chunks; the download is cut (paused) for longer than the settle time, then resumed by appending.
        let first = try TestExposures.bytes(exposure: 1)
        let cut = first.data.count / 2
        let firstPath = try harness.write(first.name, in: obs, first.data.prefix(cut))
        try await harness.waitUntil("the cut download is recorded as incomplete") { try harness.status().files["incomplete"] == 1 }
        try TestExposures.append(first.data.suffix(from: cut), to: firstPath)

        // Cloud download: temporary name, then rename.
        let second = try TestExposures.bytes(exposure: 2)
        try FileManager.default.createDirectory(atPath: "\(harness.inbox)/\(obs)", withIntermediateDirectories: true)
        try TestExposures.writeThenRename(second.data, to: "\(harness.inbox)/\(obs)/\(second.name)")

        // Nested folders created after the start (mkdir -p reports only the top one) and files copied in at once.
        let deep = "late/a/b/c"
        try FileManager.default.createDirectory(atPath: "\(harness.inbox)/\(deep)", withIntermediateDirectories: true)
        var expected = 2
        for exposure in 3...5 {
            let file = try TestExposures.bytes(exposure: exposure, type: "NRS_FIXEDSLIT")
            _ = try harness.write(file.name, in: deep, file.data)
            expected += 1
        }
        // The files of a download Webbflow must skip, from the simulator's program recipe.
        let decoys = try ProgramRecipe().generate(seed: 1, assignments: ["science=false"])
        try SimulationWriter.write(decoys, to: harness.inbox)
        let decoyCount = decoys.filter { Watcher.isCandidate(name: $0.fileName) }.count

        // 5 exposures + 1 incomplete version + the decoys.
        try await harness.waitForQuiet(files: expected + 1 + decoyCount)
        try await harness.stop()

        let products = harness.products()
        XCTAssertEqual(products.count, expected, "one product per exposure: \(products)")
        for product in products {
            XCTAssertTrue(product.hasPrefix("04242/SIM-TARGET_jw04242001001_03101_0000"), product)
            XCTAssertTrue(FITSStructure.inspect("\(harness.outbox)/\(product)").isComplete, "\(product) is whole")
        }
        let report = try harness.status()
        XCTAssertEqual(report.productCount, expected)
        XCTAssertEqual(report.steps.first { $0.step == "scicopy" }?.done, expected, "each exposure ran exactly once")
        XCTAssertEqual(report.files["incomplete"], 1)
        XCTAssertEqual(report.files["skipped"], decoyCount)
        let reasons = Set(report.skipped.compactMap(\.skipReason))
        XCTAssertEqual(reasons, ["target-acquisition", "unsupported-mode", "reference-file"], "\(report.skipped)")
        // The step parameter from the config reached the step: SCI (pixel 1 of exposure 1 holds 1 + 1) was doubled.
        XCTAssertTrue(products[0].hasSuffix("_00001_nrs1_scicopy.fits"))
        let product = try FITSFile(path: "\(harness.outbox)/\(products[0])").readImage(at: 1, as: Float.self)
        XCTAssertEqual(product.pixels[1], 4, accuracy: 1e-6)
        // Progress from the step reached the log (and the STATUS line, which the notify test sees).
        XCTAssertTrue(harness.log.contains("scicopy 50%: scaled"))
        XCTAssertEqual(harness.log.entries(where: LogField.outcome, is: "success").count, expected)
        // Inputs untouched.
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: firstPath)), first.data)
    }

    func testRestartDoesNotRepeatAndTakesFilesThatArrivedWhileStopped() async throws {
        let harness = try DaemonHarness(settle: 0.2)
        try await harness.start()
        let one = try TestExposures.bytes(exposure: 1)
        _ = try harness.write(one.name, one.data)
        try await harness.waitForQuiet(files: 1)
        try await harness.stop()
        let two = try TestExposures.bytes(exposure: 2)
        _ = try harness.write(two.name, two.data)
        // The same bytes again under another folder: a re-download, not new data.
        _ = try harness.write(one.name, in: "again", one.data)

        try await harness.start(exitWhenIdle: true)
        try await harness.waitForExit()
        let report = try harness.status()
        XCTAssertEqual(report.steps.first?.done, 2)
        XCTAssertEqual(report.files["duplicate"], 1)
        XCTAssertEqual(harness.products().count, 2)
    }

    func testGroupFiresWhenQuietAndAgainWhenAMemberCompletesIt() async throws {
        let harness = try DaemonHarness(settle: 0.2, groupSettle: 1)
        try await harness.start()
        var inputs: [String] = []
        for exposure in 1...2 {
            let file = try TestExposures.bytes(exposure: exposure, type: "NRS_FIXEDSLIT", suffix: "cal", observation: 9)
            inputs.append(try harness.write(file.name, file.data))
        }
        try await harness.waitUntil("the quiet pair runs") { try harness.status().steps.first?.done == 1 }
        let third = try TestExposures.bytes(exposure: 3, type: "NRS_FIXEDSLIT", suffix: "cal", observation: 9)
        inputs.append(try harness.write(third.name, third.data))
        try await harness.waitUntil("the completed group runs again") { try harness.status().steps.first?.done == 2 }
        try await harness.stop()
        let products = harness.products()
        XCTAssertEqual(products, ["04242/jw04242-o009_pairsum.fits"], "the second run replaced the first product")
        let header = try FITSFile(path: "\(harness.outbox)/\(products[0])").header(at: 0)
        XCTAssertEqual(header.integer("NMEMBERS"), 3)
        // The provenance hashes are intake's, recorded once per input: those of the bytes in the inbox.
        let recorded = Set((1...3).compactMap { header.string("WBFHS\($0)") })
        XCTAssertEqual(recorded, Set(try inputs.map { try ContentHash.of(path: $0) }))
    }

    func testTransientFailuresAreRetriedThenReportedInTheFailedFolder() async throws {
        let harness = try DaemonHarness(settle: 0.2, maxAttempts: 3, retryBackoff: 0.1)
        try await harness.start()
        let file = try TestExposures.bytes(exposure: 1, type: "NRS_MSASPEC")
        let path = try harness.write(file.name, file.data)
        try await harness.waitUntil("the job fails for good") { try harness.status().failed.count == 1 }
        try await harness.stop()
        let failure = try XCTUnwrap(harness.status().failed.first)
        XCTAssertEqual(failure.attempts, 3)
        XCTAssertTrue(failure.error?.contains("simulated transient trouble") == true, failure.error ?? "")
        XCTAssertEqual(harness.log.entries(where: LogField.outcome, is: "retry").count, 2)
        let report = "\(harness.failed)/flaky-\(file.name).error.json"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        XCTAssertEqual(json?["error"] as? String, failure.error)
        XCTAssertEqual(json?["attempts"] as? Int, 3)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), file.data, "input left in place, unchanged")
    }

    func testAStepRefusingItsInputFailsForGoodWithoutRetries() async throws {
        let harness = try DaemonHarness(settle: 0.2, maxAttempts: 3, retryBackoff: 0.1)
        try await harness.start()
        let file = try TestExposures.bytes(exposure: 1, type: "NRS_BRIGHTOBJ")
        _ = try harness.write(file.name, file.data)
        try await harness.waitUntil("the job fails for good") { try harness.status().failed.count == 1 }
        try await harness.stop()
        let failure = try XCTUnwrap(harness.status().failed.first)
        XCTAssertEqual(failure.attempts, 1, "not retried: the same input would be refused again")
        XCTAssertEqual(failure.error, "refusing needs exactly two inputs, got 1")
        XCTAssertTrue(harness.log.entries(where: LogField.outcome, is: "retry").isEmpty)
    }
}
