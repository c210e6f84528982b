import FITS
import Logging
import Pipeline
import Simulator
import Testing

@testable import Fusion

/// ERR against the scatter of the fused cube over noise realisations of one scene.
///
/// ERR describes the estimate once its data-dependent choices (subspace, Sobolev weights, calibration) are fixed:
/// the fusion is then linear in the data. So the first realisation is fused as usual, and every realisation is
/// fused again with that realisation's choices; the per-voxel standard deviation over the realisations is then
/// what ERR predicts.
@Suite(.serialized) struct FusionErrorTests {
    static let realisations = 20
    static let psfs = PSFProvider(library: PSFLibrary())

    static func fuse(noiseSeed: Int, frozen: FusionChoices?) throws -> (product: Product, result: FusionResult) {
        let files = try FusionFixture.files(["noise_seed=\(noiseSeed)"])
        var settings = FusionSettings()
        settings.frozen = frozen
        let pipeline = FusionPipeline(settings: settings, heldOutFilter: "", psfs: psfs, statusKeyword: "S_SYFU", refine: false)
        return try pipeline.run(files.map(\.exposure), logger: Logger(label: "test"), progress: { _, _ in })
    }

    @Test func errMatchesTheScatterOverNoiseRealisations() throws {
        let first = try Self.fuse(noiseSeed: 1, frozen: nil)
        let choices = first.result.choices
        var cubes: [[Float]] = []
        var errors: [Float] = []
        var axes: [Int] = []
        for n in 1...Self.realisations {
            let fused = try Self.fuse(noiseSeed: n, frozen: choices)
            let sci = fused.product.hdus.hdu(named: "SCI")!.image!.floats()
            cubes.append(sci.pixels)
            axes = sci.axes
            errors = fused.product.hdus.hdu(named: "ERR")!.image!.floats().pixels
        }
        let (width, height, planes) = (axes[0], axes[1], axes[2])
        let plane = width * height
        let r = Double(Self.realisations)
        var mean = [Double](repeating: 0, count: plane * planes)
        for cube in cubes { for v in 0..<mean.count { mean[v] += Double(cube[v]) / r } }
        var variance = [Double](repeating: 0, count: mean.count)
        for cube in cubes { for v in 0..<mean.count { let d = Double(cube[v]) - mean[v]; variance[v] += d * d / (r - 1) } }

        // How far apart voxels must be for their noise to be independent: the correlation of the residuals of
        // voxels two spaxels (6 fine pixels) apart along a row, pooled over the cube and the realisations.
        let lag = 6
        var cross = 0.0, norm = 0.0
        for cube in cubes {
            for l in 0..<planes {
                for y in 0..<height {
                    for x in 0..<(width - lag) {
                        let v = l * plane + y * width + x
                        let a = Double(cube[v]) - mean[v], b = Double(cube[v + lag]) - mean[v + lag]
                        cross += a * b
                        norm += (a * a + b * b) / 2
                    }
                }
            }
        }
        let correlation = cross / norm
        #expect(abs(correlation) < 0.1, "noise correlation at two spaxels: \(correlation)")

        // With voxels two spaxels apart independent, a channel holds at least (side / 6)² independent noise
        // samples, each with a variance estimate on r − 1 degrees of freedom: the mean variance over a channel
        // has a relative error of at most √(2 / ((r − 1) n)), its square root half that. Four of those bound every
        // one of the channels; the whole cube has the rank's independent components on top.
        let independent = Double((width / lag) * (height / lag))
        let channelTolerance = 4 * (1 / (2 * (r - 1) * independent)).squareRoot()
        let cubeTolerance = 4 * (1 / (2 * (r - 1) * independent * Double(choices.subspace.rank))).squareRoot()
        var worst = 0.0, measuredTotal = 0.0, predictedTotal = 0.0
        for l in 0..<planes {
            var measured = 0.0, predicted = 0.0
            for p in 0..<plane {
                measured += variance[l * plane + p]
                predicted += Double(errors[l * plane + p]) * Double(errors[l * plane + p])
            }
            let ratio = (measured / predicted).squareRoot()
            worst = max(worst, abs(ratio - 1))
            #expect(abs(ratio - 1) < channelTolerance, "channel \(l): empirical σ / ERR = \(ratio)")
            measuredTotal += measured
            predictedTotal += predicted
        }
        let overall = (measuredTotal / predictedTotal).squareRoot()
        #expect(abs(overall - 1) < cubeTolerance, "whole cube: empirical σ / ERR = \(overall) (worst channel off by \(worst))")
        print(
            "ERR check: \(Self.realisations) realisations, rank \(choices.subspace.rank), lag-6 correlation \(correlation), overall σ/ERR \(overall), worst channel off by \(worst); tolerances \(channelTolerance), \(cubeTolerance)"
        )
    }

    @Test func frozenChoicesReproduceTheFreeSolve() throws {
        // The same data with its own choices handed back gives the same cube: freezing changes nothing but
        // where the choices come from (the calibrated rows are rebuilt from the factors, so up to round-off
        // far below the float32 output's 6e-8).
        let free = try Self.fuse(noiseSeed: 3, frozen: nil)
        let frozen = try Self.fuse(noiseSeed: 3, frozen: free.result.choices)
        let scale = free.result.cube.map { abs(Double($0)) }.max()!
        let difference = zip(free.result.cube, frozen.result.cube).map { abs(Double($0) - Double($1)) }.max()!
        #expect(difference / scale < 1e-6)
        for (a, b) in zip(free.result.sigma, frozen.result.sigma) { #expect(abs(a / b - 1) < 1e-9) }
    }
}
