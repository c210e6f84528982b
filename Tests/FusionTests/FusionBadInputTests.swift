import FITS
import Foundation
import Fusion
import Logging
import Pipeline
import Simulator
import Testing

/// Runs the step and returns its error message ("" when it produced a product).
private func failure(_ exposures: [Exposure], _ assignments: [String] = []) async -> String {
    let step = SyFuStep()
    do {
        let products = try await step.run(
            exposures, parameters: try step.manifest.values(assignments),
            context: StepContext(logger: Logger(label: "test")))
        return products.isEmpty ? "no product" : ""
    } catch {
        #expect(FailureKind.of(error) == .invalidInput, "bad input fails at once, without retries: \(error)")
        return "\(error)"
    }
}

private func editScience(_ exposure: Exposure, _ edit: (inout Header) -> Void) -> Exposure {
    var copy = exposure
    let index = copy.hdus.index(named: "SCI")!
    edit(&copy.hdus[index].header)
    return Exposure(name: copy.name, hdus: copy.hdus)
}

@Suite(.serialized) struct FusionBadInputTests {
    let exposures: [Exposure]
    init() throws { exposures = try FusionFixture.files(["filters=F182M,F210M"]).map(\.exposure) }

    @Test func imageElsewhereOnTheSkyIsRefusedForNoOverlap() async {
        let moved = editScience(exposures[1]) { h in
            h.set("CRVAL2", .real(h.real("CRVAL2")! + 0.5))
            h.set("S_REGION", .string("POLYGON ICRS 83.81 -4.89 83.82 -4.89 83.82 -4.88 83.81 -4.88"))
        }
        let message = await failure([exposures[0], moved])
        #expect(message.contains("overlap"), "\(message)")
        #expect(message.contains(exposures[1].name.fileName))
    }

    @Test func filterOutsideTheGratingRangeIsRefused() async throws {
        let short = try FusionPairRecipe().generate(seed: 3, assignments: FusionFixture.settings + ["filters=F115W"])[1].exposure
        let message = await failure([exposures[0], short])
        #expect(message.contains("outside the cube's range"), "\(message)")
    }

    @Test func mostlyNaNCubeIsRefused() async {
        var cube = exposures[0]
        let index = cube.hdus.index(named: "SCI")!
        var image = cube.hdus[index].image!.floats()
        let plane = image.axes[0] * image.axes[1]
        for i in 0..<image.pixels.count where (i % plane) % image.axes[0] < image.axes[0] * 2 / 3 { image.pixels[i] = .nan }
        cube.hdus[index].payload = .image(AnyImage(image))
        let message = await failure([cube, exposures[1]])
        #expect(message.contains("NaN"), "\(message)")
    }

    @Test func mismatchedUnitsAreRefused() async {
        let jansky = editScience(exposures[1]) { $0.set("BUNIT", .string("MJy")) }
        let message = await failure([exposures[0], jansky])
        #expect(message.contains("unit"), "\(message)")
    }

    @Test func cubeWithoutWavelengthAxisIsRefused() async {
        let flat = editScience(exposures[0]) { $0.remove("CTYPE3") }
        let message = await failure([flat, exposures[1]])
        #expect(message.contains("no wavelength axis"), "\(message)")
    }

    @Test func imagesWithoutCubeAreRefused() async {
        let message = await failure([exposures[1], exposures[2]])
        #expect(message.contains("exactly one NIRSpec"), "\(message)")
    }
}
