import FITS
import Foundation
import Fusion
import Logging
import Pipeline
import Simulator
import Testing

@Suite(.serialized) struct FusionEndToEndTests {
    let files: [SimulatedFile]
    let product: Product

    init() async throws {
        files = try FusionFixture.files()
        let step = SyFuStep()
        let products = try await step.run(
            files.map(\.exposure), parameters: try step.manifest.values(),
            context: StepContext(logger: Logger(label: "test")))
        product = products[0]
    }

    var fused: [Float] { product.hdus.hdu(named: "SCI")!.image!.floats().pixels }
    var truth: [Float] { files[0].truthImage("TRUTH")!.pixels }

    @Test func fusedCubeIsAtLeastTwiceAsCloseToTruthAsBicubicUpsampling() throws {
        let cube = files[0].exposure.hdu("SCI")!.image!.floats()
        let (w, h, planes) = (cube.axes[0], cube.axes[1], cube.axes[2])
        var upsampled: [Float] = []
        for l in 0..<planes {
            // The baseline sees the same gap-filled cube (NaN spaxels replaced by their neighbours' mean).
            var plane = (0..<(w * h)).map { Double(cube.pixels[l * w * h + $0]) }
            let valid = plane.filter(\.isFinite)
            let fill = valid.reduce(0, +) / Double(valid.count)
            plane = plane.map { $0.isFinite ? $0 : fill }
            upsampled += Bicubic.upsample(plane.map(Float.init), width: w, height: h, factor: 3)
        }
        let fusedError = FusionFixture.relativeRMS(fused, truth)
        let bicubicError = FusionFixture.relativeRMS(upsampled, truth)
        // The issue's target: at least 2x better than bicubic upsampling of the cube.
        #expect(fusedError * 2 < bicubicError, "fused \(fusedError), bicubic \(bicubicError)")
        #expect(fusedError < 0.1)
    }

    @Test func meanSpectrumMatchesNIRSpecWithinOnePercent() throws {
        let table = product.hdus.hdu(named: "MEANSPEC")!.table!
        let relative = table["REL_ERROR"]!.data.doubles!
        #expect(relative.map(abs).max()! < 0.01)
    }

    @Test func crossCalibrationRecoversTheSimulatedMismatch() throws {
        // The simulator scales NIRCam by 1.05 against NIRSpec and observes with detector NRCB1, while the step
        // models the detector mean; the two throughputs differ by up to ~2 % in a band's shape.
        let table = product.hdus.hdu(named: "QUALITY")!.table!
        let factors = table["CALIB"]!.data.doubles!
        #expect(factors.count == 5)
        for f in factors { #expect(abs(f - 1.05) < 0.03, "calibration factor \(f)") }
        // Every filter is reproduced far above the paper's 30 dB (its inputs are real data; ours have SNR 150).
        for psnr in table["PSNR"]!.data.doubles! { #expect(psnr > 35) }
        for ssim in table["SSIM"]!.data.doubles! { #expect(ssim > 0.95) }
    }

    @Test func productHasTheFusedGridAndPassesFitsverify() throws {
        let sci = product.hdus.hdu(named: "SCI")!
        #expect(sci.image!.axes == [36, 36, 150])
        #expect(product.fileName == "jw04242-o002_t001_nirspec_g235h-f170lp_fused_s3d.fits")
        #expect(product.hdus[0].header.string("S_SYFU") == "COMPLETE")
        // The fused WCS maps fine pixel 3i+1 onto spaxel i.
        let cubeWCS = try CelestialWCS(header: files[0].exposure.hdu("SCI")!.header)
        let fusedWCS = try CelestialWCS(header: sci.header)
        let a = try cubeWCS.world(pixels: [(5, 7)])[0], b = try fusedWCS.world(pixels: [(16, 22)])[0]
        #expect(abs(a.ra - b.ra) < 1e-9 && abs(a.dec - b.dec) < 1e-9)
        if let report = try FusionFixture.fitsverify(product.hdus) {
            #expect(report.contains("verification OK"), "\(report)")
        }
    }

    @Test func heldOutFilterIsPredicted() async throws {
        let step = SyFuStep()
        let parameters = try step.manifest.values(["holdout=F187N"])
        let products = try await step.run(
            files.map(\.exposure), parameters: parameters, context: StepContext(logger: Logger(label: "test")))
        let table = products[0].hdus.hdu(named: "QUALITY")!.table!
        guard case .string(let roles, _) = table["ROLE"]!.data else { Issue.record("ROLE is not text"); return }
        let index = roles.firstIndex { $0.hasPrefix("held") }!
        // F187N sees Paschen-alpha; predicting it from the four other filters and the cube is the paper's
        // validation (their Titan held-out PSNRs: 28-34 dB).
        #expect(table["PSNR"]!.data.doubles![index] > 28)
    }
}
