import Daemon
import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// The real daemon pairs NIRCam images with a NIRSpec cube by the sky: images from another program and target
/// name fuse with the cube; images pointed elsewhere leave the cube waiting, with the reason in `status`.
final class FusionSkyPairingTests: XCTestCase {
    /// The fusion tests' small scene (FusionFixture) with the images in program 1180 under another target name.
    static let pair = ["spaxels=12", "channels=150", "image_program=1180", "image_target=GOODS-S-DEEP"]

    /// Writes the exposures (not their truth, which MAST does not ship) into the inbox.
    func put(_ files: [SimulatedFile], in tree: DaemonTree) throws {
        try SimulationWriter.write(
            files.map {
                var file = $0; file.truth = nil; return file
            }, to: tree.inbox)
    }

    func testImagesOfAnotherProgramFuseWithTheCube() async throws {
        let tree = try DaemonTree("fusion-sky")
        let files = try FusionPairRecipe().generate(seed: 7, assignments: Self.pair)
        try put(files, in: tree)
        try await tree.runUntilIdle(["--group-settle", "1"], timeout: 300)
        let fused = try XCTUnwrap(
            tree.products().first { $0.hasSuffix("_fused_s3d.fits") }, "products: \(tree.products())\n\(tree.log.suffix(3000))")
        XCTAssertEqual((fused as NSString).lastPathComponent, "jw04242-o002_t001_nirspec_g235h-f170lp_fused_s3d.fits")
        let product = try Exposure.load("\(tree.outbox)/\(fused)")
        let estimate = try XCTUnwrap(product.hdu("SCI")?.image?.floats().pixels)
        let truth = try XCTUnwrap(files[0].truthImage("TRUTH")?.pixels)
        XCTAssertEqual(estimate.count, truth.count)
        // The bound the fusion tests hold the same scene to when cube and images share a program.
        var error = 0.0, norm = 0.0
        for (e, t) in zip(estimate, truth) { error += pow(Double(e) - Double(t), 2); norm += Double(t) * Double(t) }
        XCTAssertLessThan((error / norm).squareRoot(), 0.1)
        let report = try tree.status()
        XCTAssertEqual(report.steps.first { $0.step == "syfu" }?.done, 1, "one fusion job, with all five images")
        XCTAssertTrue(report.groups.isEmpty, "no group left waiting: \(report.groups)")
    }

    func testImagesPointedElsewhereLeaveTheCubeWaitingWithTheReason() async throws {
        let tree = try DaemonTree("fusion-apart")
        // 30" east of the 1.2" cube.
        try put(try FusionPairRecipe().generate(seed: 7, assignments: Self.pair + ["image_pointing=30"]), in: tree)
        try await tree.runUntilIdle(["--group-settle", "0.5"])
        XCTAssertFalse(tree.products().contains { $0.hasSuffix("_fused_s3d.fits") }, "\(tree.products())")
        let report = try tree.status()
        XCTAssertEqual(report.steps.first { $0.step == "syfu" }?.done ?? 0, 0)
        let group = try XCTUnwrap(report.groups.first { $0.group.hasPrefix("syfu/") }, "\(report.groups)")
        XCTAssertNil(group.firesAt)
        let reason = try XCTUnwrap(group.reason)
        XCTAssertTrue(reason.contains("footprint does not overlap"), reason)
        XCTAssertEqual(reason.components(separatedBy: "_i2d.fits: its footprint does not overlap").count - 1, 5, reason)
        XCTAssertTrue(report.text.contains("waiting for more members: no file pairs with it"), report.text)
    }

    /// A cube that waited alone through a restart pairs with images that arrive later; the reason it waited is
    /// what had arrived at the time.
    func testImagesArrivingAfterTheCubeWaitedJoinItAcrossARestart() async throws {
        let tree = try DaemonTree("fusion-late")
        let files = try FusionPairRecipe().generate(seed: 7, assignments: Self.pair)
        try put([files[0]], in: tree)
        try await tree.runUntilIdle(["--group-settle", "0.5"])
        let waiting = try XCTUnwrap(try tree.status().groups.first { $0.group.hasPrefix("syfu/") })
        XCTAssertEqual(waiting.reason, "no file it pairs with has arrived")

        try put(Array(files.dropFirst()), in: tree)
        try await tree.runUntilIdle(["--group-settle", "0.5"], timeout: 300)
        XCTAssertEqual(tree.products().filter { $0.hasSuffix("_fused_s3d.fits") }.count, 1, "\(tree.products())\n\(tree.log.suffix(2000))")
        let report = try tree.status()
        XCTAssertEqual(report.steps.first { $0.step == "syfu" }?.done, 1)
        XCTAssertTrue(report.groups.isEmpty, "\(report.groups)")
    }
}
