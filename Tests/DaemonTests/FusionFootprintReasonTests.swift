import Daemon
import FITS
import Foundation
import Simulator
import XCTest

/// The real daemon says why a NIRSpec cube it cannot place on the sky is not fused: `status` names the missing
/// footprint, not only that the file could not be grouped.
final class FusionFootprintReasonTests: XCTestCase {
    func testACubeWithoutFootprintIsReportedWithThatReason() async throws {
        let tree = try DaemonTree("fusion-nowhere")
        var files = try FusionPairRecipe().generate(seed: 7, assignments: ["spaxels=12", "channels=150"])
        // Neither S_REGION nor the celestial cards: the cube's sky position is unknown.
        let sci = try XCTUnwrap(files[0].exposure.hdus.index(named: "SCI"))
        let celestial = [
            "S_REGION", "CTYPE1", "CTYPE2", "CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2", "CDELT1", "CDELT2", "PC1_1", "PC1_2", "PC2_1", "PC2_2",
        ]
        for key in celestial { files[0].exposure.hdus[sci].header.remove(key) }
        files[0].truth = nil
        try SimulationWriter.write([files[0]], to: tree.inbox)
        try await tree.runUntilIdle(["--group-settle", "0.5"])
        let report = try tree.status()
        let line = try XCTUnwrap(report.skipped.first { $0.path.hasSuffix(files[0].fileName) }, report.text)
        XCTAssertEqual(
            line.reason, "step syfu cannot group this file with others: the cube has no footprint: no S_REGION and no celestial WCS")
        XCTAssertTrue(report.text.contains("the cube has no footprint: no S_REGION and no celestial WCS"), report.text)
    }
}
