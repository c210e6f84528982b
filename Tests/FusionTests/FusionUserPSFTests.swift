import FITS
import Foundation
import Fusion
import Logging
import Optics
import Pipeline
import Simulator
import TestSupport
import Testing

@Suite(.serialized) struct FusionUserPSFTests {
    let files: [SimulatedFile]
    init() throws { files = try FusionFixture.files(["filters=F182M,F187N,F200W"]) }

    func run(_ assignments: [String]) async throws -> Double {
        let step = SyFuStep()
        let product = try await step.run(
            files.map(\.exposure), parameters: try step.manifest.values(assignments),
            context: StepContext(logger: Logger(label: "test")))[0]
        return FusionFixture.relativeRMS(product.hdus.hdu(named: "SCI")!.image!.floats().pixels, files[0].truthImage("TRUTH")!.pixels)
    }

    /// A user NIRCam PSF cube at another sampling (0.011"), three wavelengths, gives the same quality as the
    /// built-in PSF it was made from: the cube is read, interpolated in wavelength and resampled correctly.
    @Test func userPSFCubeReplacesTheBuiltInOne() async throws {
        let side = 201
        let wavelengths = [1.7, 2.0, 2.3]
        var pixels: [Float] = []
        for w in wavelengths {
            pixels += FraunhoferPSF.image(
                wavelength: w, settings: .init(pixelScale: 0.011, size: side, oversample: 1, jitter: InstrumentOptics.jitter)
            ).map(Float.init)
        }
        var header = Header()
        header.set("PIXELSCL", .real(0.011)); header.set("CTYPE3", .string("WAVE")); header.set("CUNIT3", .string("um"))
        header.set("CRVAL3", .real(1.7)); header.set("CDELT3", .real(0.3)); header.set("CRPIX3", .real(1))
        let folder = try TemporaryDirectory("psf")
        let path = folder.file("psf.fits")
        try FITSWriter.write(
            [HDU(header: Header()), HDU(name: "PSF", image: Image(axes: [side, side, 3], pixels: pixels), header: header)], to: path)
        let builtIn = try await run([])
        let user = try await run(["nircam_psf=\(path)"])
        // Three planes instead of eight nodes and one more resampling: within 15 % of the built-in result.
        #expect(user < 1.15 * builtIn, "user PSF \(user), built-in \(builtIn)")
    }

    @Test func psfWithoutPixelScaleIsRefused() async throws {
        let folder = try TemporaryDirectory("psf")
        let path = folder.file("psf.fits")
        try FITSWriter.write([HDU(name: "PSF", image: Image(axes: [9, 9], pixels: [Float](repeating: 1, count: 81)))], to: path)
        do {
            _ = try await run(["nirspec_psf=\(path)"])
            Issue.record("a PSF without PIXELSCL was accepted")
        } catch {
            #expect("\(error)".contains("PIXELSCL"), "\(error)")
        }
    }
}
