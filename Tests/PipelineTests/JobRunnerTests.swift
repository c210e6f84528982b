import FITS
import Foundation
import Logging
import Pipeline
import TestSupport
import XCTest

/// `JobRunner` from input paths to written products: a content hash the caller already knows (the daemon's, taken
/// at intake) is what the provenance records; without one, the hash of the bytes read.
final class JobRunnerTests: XCTestCase {
    /// Writes its input back out under its own suffix.
    struct Copying: Step {
        let manifest = StepManifest(name: "copying", summary: "test", routes: [], productSuffix: "copy", statusKeyword: "S_COPY")
        func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
            inputs.map { Product(fileName: $0.name.product(suffix: "copy"), hdus: $0.hdus, program: "01345") }
        }
    }

    private var folder: TemporaryDirectory?
    private var input: String { folder?.file("jw01345062001_03101_00001_nrs2_rate.fits") ?? "" }

    override func setUpWithError() throws {
        folder = try TemporaryDirectory("webbflow-runner")
        var primary = Header()
        primary.set("TELESCOP", "JWST")
        try FITSWriter.write(
            [HDU(header: primary), HDU(name: "SCI", image: Image(axes: [4, 3], pixels: [Float](repeating: 1, count: 12)))],
            to: input)
    }

    override func tearDown() { folder = nil }

    /// Runs the copying step on the input; returns the product's primary header.
    private func runCopy(contentHashes: [String: String]) async throws -> Header {
        let written = try await JobRunner(registry: StepRegistry([Copying()])).run(
            Job(step: "copying", inputs: [input]), contentHashes: contentHashes,
            writer: ProductWriter(directory: folder?.file("out") ?? ""),
            context: StepContext(logger: Logger(label: "test.runner")))
        XCTAssertEqual(written.count, 1)
        return try FITSFile(path: written[0]).header(at: 0)
    }

    func testAKnownContentHashIsRecordedAsGiven() async throws {
        let header = try await runCopy(contentHashes: [input: "0123456789abcdef"])
        XCTAssertEqual(header.string("WBFHS1"), "0123456789abcdef")
    }

    func testWithoutAKnownHashTheBytesReadAreHashed() async throws {
        let header = try await runCopy(contentHashes: [:])
        XCTAssertEqual(header.string("WBFIN1"), (input as NSString).lastPathComponent)
        XCTAssertEqual(header.string("WBFHS1"), try ContentHash.of(path: input))
    }
}
