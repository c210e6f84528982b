import AdaptiveTraceModel
import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import TestSupport
import XCTest

/// The product file holds the planes the step computed: the oversampled planes are written band by band as they are
/// computed, while the quick-look sheet may read SCI and TRACEMODEL, and must come out the same as when read from
/// the product in memory, with valid checksums, for both orientations of the slice axis.
final class ATMProductFileTests: XCTestCase {
    private func assertFileHoldsThePlanes(
        of product: Product, input: Exposure, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let step = AdaptiveTraceModelStep()
        let values = try step.manifest.values([])
        let dir = try TemporaryDirectory("atm")
        // The sheet's planes are read while the file is written, as the job runner does.
        let sheet = Task.detached { product.hdus.hdu(named: "SCI")?.image?.floats().pixels.count }
        let path = try ProductWriter(directory: dir.path).write(product, step: step.manifest, parameters: values, inputs: [input])
        let written = try FITSFile(path: path)
        for name in ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT", "WAVELENGTH", "REGIONS", "TRACEMODEL"] {
            guard let memory = product.hdus.hdu(named: name)?.image, let index = try written.index(named: name) else {
                XCTFail("\(name) missing", file: file, line: line)
                continue
            }
            XCTAssertTrue(try written.checksumsAreValid(at: index), "\(name) checksums", file: file, line: line)
            let back = try written.read(at: index).image
            XCTAssertEqual(back?.axes, memory.axes, name, file: file, line: line)
            XCTAssertTrue(back.map(bits) == bits(memory), "\(name): the file's pixels differ from the product's", file: file, line: line)
        }
        let sheetPixels = await sheet.value
        XCTAssertEqual(sheetPixels, product.hdus.hdu(named: "SCI")?.imageAxes?.reduce(1, *), file: file, line: line)
    }

    /// The pixels' bit patterns (NaN equal to NaN).
    private func bits(_ image: AnyImage) -> [UInt32] { image.typed(Float.self)?.pixels.map(\.bitPattern) ?? image.unsigned32().pixels }

    func testNIRSpecPlanesAreWrittenAsComputed() async throws {
        let run = try await SharedRuns.pointN3.value
        try await assertFileHoldsThePlanes(of: run.product, input: run.file.exposure)
    }

    func testMIRIPlanesAreWrittenAsComputed() async throws {
        let file = try MIRIMRSCalRecipe().generate(seed: 5)[0]
        let step = AdaptiveTraceModelStep()
        let product = try await step.run(
            [file.exposure], parameters: try step.manifest.values([]), context: StepContext(logger: Logger(label: "atm-test")))[0]
        try await assertFileHoldsThePlanes(of: product, input: file.exposure)
    }
}
