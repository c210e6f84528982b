import FITS
import Foundation
import Fusion
import Logging
import Pipeline
import Simulator
import Testing

@Test func userFieldCropsTheCubeAndKeepsTheSky() async throws {
    let files = try FusionFixture.files(["filters=F182M,F210M"])
    let step = SyFuStep()
    let parameters = try step.manifest.values(["fov_size=8", "fov_x=5", "fov_y=6"])
    let product = try await step.run(files.map(\.exposure), parameters: parameters, context: StepContext(logger: Logger(label: "test")))[0]
    let sci = product.hdus.hdu(named: "SCI")!
    #expect(sci.image!.axes == [24, 24, 150])
    // The field starts at spaxel (1, 2): fused pixel 3i+1 of the product lies on spaxel i + (1, 2) of the cube.
    let cube = try CelestialWCS(header: files[0].exposure.hdu("SCI")!.header)
    let fused = try CelestialWCS(header: sci.header)
    let a = try cube.world(pixels: [(4, 5)])[0], b = try fused.world(pixels: [(10, 10)])[0]
    #expect(abs(a.ra - b.ra) < 1e-9 && abs(a.dec - b.dec) < 1e-9)
    // Against the truth, the cropped fusion does nearly as well as the whole-cube fusion on the same field:
    // the crop only adds mirror-padded edges on the cut sides (allowed 30 % more error).
    func window(_ pixels: [Float]) -> [Float] {
        var cut = [Float]()
        for l in 0..<150 { for y in 6..<30 { for x in 3..<27 { cut.append(pixels[(l * 36 + y) * 36 + x]) } } }
        return cut
    }
    let whole = try await step.run(
        files.map(\.exposure), parameters: try step.manifest.values(),
        context: StepContext(logger: Logger(label: "test")))[0]
    let truth = window(files[0].truthImage("TRUTH")!.pixels)
    let croppedError = FusionFixture.relativeRMS(sci.image!.floats().pixels, truth)
    let wholeError = FusionFixture.relativeRMS(window(whole.hdus.hdu(named: "SCI")!.image!.floats().pixels), truth)
    #expect(croppedError < 1.3 * wholeError, "cropped \(croppedError), whole \(wholeError)")
}
