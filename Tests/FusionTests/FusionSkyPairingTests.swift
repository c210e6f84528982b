import FITS
import Foundation
import Fusion
import Logging
import Pipeline
import Simulator
import TestSupport
import Testing

/// Pairing by the sky in `webbflow process`'s planning: NIRCam images join a NIRSpec cube when they overlap it and
/// their filters fuse with its grating, whatever their program or target name.
@Suite(.serialized) struct FusionSkyPairingTests {
    let registry = StepRegistry([SyFuStep()])

    /// The fixture's scene with the images in program 1180, under another target name; `extra` changes more.
    func writePair(_ extra: [String] = [], to folder: TemporaryDirectory) throws -> [SimulatedFile] {
        let files = try FusionFixture.files(["image_program=1180", "image_target=GOODS-S-DEEP"] + extra)
        try SimulationWriter.write(files, to: folder.path)
        return files
    }

    func plan(_ folder: TemporaryDirectory, files: [SimulatedFile]) -> JobPlanner.Plan {
        let classifier = Classifier(registry: registry)
        return JobPlanner(registry: registry).plan(files.map { classifier.classify(path: folder.file($0.fileName)) })
    }

    @Test func imagesOfAnotherProgramPairWithTheCubeAndFuseAgainstTruth() async throws {
        let folder = try TemporaryDirectory("sky-pairing")
        let files = try writePair(to: folder)
        #expect(files[1].fileName.hasPrefix("jw01180-") && files[0].fileName.hasPrefix("jw04242-"))
        let plan = plan(folder, files: files)
        #expect(plan.skipped.isEmpty, "\(plan.skipped)")
        #expect(plan.jobs.count == 1)
        let job = try #require(plan.jobs.first)
        #expect(job.step == "syfu" && job.inputs.count == 6)
        #expect(Set(job.inputs) == Set(files.map { folder.file($0.fileName) }))

        let step = SyFuStep()
        let exposures = try job.inputs.map { try Exposure.load($0) }
        let product = try #require(
            try await step.run(
                exposures, parameters: try step.manifest.values(),
                context: StepContext(logger: Logger(label: "test"))
            ).first)
        #expect(product.fileName == "jw04242-o002_t001_nirspec_g235h-f170lp_fused_s3d.fits")
        let fused = product.hdus.hdu(named: "SCI")!.image!.floats().pixels
        // The bound of the same-program fusion test on this scene (FusionEndToEndTests): the files differ only in
        // their identity keywords, so the fusion must be as good.
        let error = FusionFixture.relativeRMS(fused, files[0].truthImage("TRUTH")!.pixels)
        #expect(error < 0.1, "fused cube rel rms \(error) against truth")
        let programs = product.hdus.hdu(named: "HDRTAB")!.table!["PROGRAM"]!.data
        guard case .string(let listed, _) = programs else { Issue.record("PROGRAM is not text: \(programs)"); return }
        #expect(Set(listed.map { $0.trimmingCharacters(in: .whitespaces) }) == ["04242", "01180"])
    }

    @Test func imagesPointedElsewhereDoNotPairAndTheCubeSaysWhy() throws {
        let folder = try TemporaryDirectory("sky-pairing-apart")
        // The cube is 1.2" wide: 30" east leaves the images' 1.5" field far from it.
        let files = try writePair(["image_pointing=30"], to: folder)
        let plan = plan(folder, files: files)
        #expect(plan.jobs.isEmpty)
        let cubeReason = try #require(plan.skipped.first { $0.path.hasSuffix(files[0].fileName) }?.reason)
        #expect(cubeReason.contains("no file pairs with it"), "\(cubeReason)")
        #expect(cubeReason.contains("footprint does not overlap"), "\(cubeReason)")
        #expect(plan.skipped.count == 6, "the cube and its five images are skipped: \(plan.skipped)")
    }

    /// A cube or an image with neither S_REGION nor a celestial WCS cannot be placed on the sky: each is refused
    /// with that reason rather than the general one, and the other images wait for a cube.
    @Test func filesWithoutFootprintAreRefusedWithThatReason() throws {
        let folder = try TemporaryDirectory("sky-pairing-nowhere")
        var files = try FusionFixture.files()
        files[0] = FusionFixture.withoutFootprint(files[0])
        files[1] = FusionFixture.withoutFootprint(files[1])
        try SimulationWriter.write(files, to: folder.path)
        let plan = plan(folder, files: files)
        #expect(plan.jobs.isEmpty)
        func reason(_ file: SimulatedFile) -> String? { plan.skipped.first { $0.path.hasSuffix(file.fileName) }?.reason }
        #expect(
            reason(files[0]) == "step syfu cannot group this file with others: the cube has no footprint: no S_REGION and no celestial WCS")
        #expect(
            reason(files[1]) == "step syfu cannot group this file with others: the image has no footprint: no S_REGION and no celestial WCS"
        )
    }

    @Test func footprintComesFromTheWCSWhenSRegionIsMissing() throws {
        let files = try FusionFixture.files()
        var science = try #require(files[1].exposure.hdu("SCI")?.header)
        let written = try #require(SkyRegion(header: science))
        science.remove("S_REGION")
        science.set("NAXIS1", .integer(files[1].exposure.hdu("SCI")!.image!.axes[0]))
        science.set("NAXIS2", .integer(files[1].exposure.hdu("SCI")!.image!.axes[1]))
        guard case .candidate(let traits)? = FusionGrouping().membership(for: files[1].exposure.kind, science: science) else {
            Issue.record("an image without S_REGION is still a candidate"); return
        }
        // The same polygon, to well under a NIRCam pixel (0.031").
        for (a, b) in zip(traits.footprint, written.vertices) {
            #expect(abs(a.ra - b.ra) * 3600 * cos(b.dec * .pi / 180) < 1e-3 && abs(a.dec - b.dec) * 3600 < 1e-3)
        }
    }
}
