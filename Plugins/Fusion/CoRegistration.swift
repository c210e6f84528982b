import FITS
import Foundation

/// The fused grid and the NIRCam images resampled onto it. The grid is the cube's own pixel grid refined by
/// three (fine pixel 3i+1 centred on spaxel i, same orientation), so the cube needs no resampling; every
/// image is mapped through both WCSs (wcslib), which carries the rotation, scale and offset between them, and
/// interpolated with bicubic convolution of its surface brightness.
struct FusedGrid {
    static let factor = 3
    let width: Int
    let height: Int

    init(cube: CubeInput) {
        width = Self.factor * cube.width
        height = Self.factor * cube.height
    }

    /// Cube pixel coordinates (0-based) of fine pixel (i, j).
    func cubeCoordinates(_ i: Int, _ j: Int) -> (x: Double, y: Double) {
        (Double(i - Self.factor / 2) / Double(Self.factor), Double(j - Self.factor / 2) / Double(Self.factor))
    }

    /// The fine pixels' positions in the image's pixel coordinates, optionally displaced by `shift` fine pixels
    /// (a translation the WCS does not know, measured by phase correlation).
    func positions(in image: ImageInput, cube: CubeInput, shift: (dx: Double, dy: Double) = (0, 0)) throws -> [(x: Double, y: Double)] {
        var fine: [(x: Double, y: Double)] = []
        fine.reserveCapacity(width * height)
        let f = Double(Self.factor)
        for j in 0..<height {
            for i in 0..<width {
                let c = cubeCoordinates(i, j)
                fine.append((c.x + shift.dx / f, c.y + shift.dy / f))
            }
        }
        do {
            return try image.wcs.pixels(world: try cube.wcs.world(pixels: fine))
        } catch {
            throw FusionError("\(image.name): cannot map the cube's field into the image (\(error))")
        }
    }
}

/// A NIRCam image on the fused grid, with its noise level.
struct RegisteredImage {
    let filter: String
    let name: String
    var values: [Double]
    /// Median ERR over the field (MJy/sr), or a robust estimate from the data when ERR is absent.
    let sigma: Double
    /// That noise after the interpolation onto the fused grid.
    let noise: ResampledNoise
    /// The fine pixels the image covered before gap filling, and their fraction.
    let covered: [Bool]
    let coverage: Double
}

enum CoRegistration {
    /// Minimum fraction of the fused field an image must cover; smaller overlaps are refused.
    static let minimumCoverage = 0.9

    static func register(_ image: ImageInput, onto grid: FusedGrid, cube: CubeInput, shift: (dx: Double, dy: Double) = (0, 0)) throws
        -> RegisteredImage
    {
        let positions = try grid.positions(in: image, cube: cube, shift: shift)
        var values = positions.map { Bicubic.sample(image.data, width: image.width, height: image.height, x: $0.x, y: $0.y) }
        let covered = values.map(\.isFinite)
        let coverage = Double(covered.filter { $0 }.count) / Double(values.count)
        guard coverage >= minimumCoverage else {
            throw FusionError("\(image.name): covers only \(Int(coverage * 100))% of the cube's field (no usable overlap)")
        }
        GapFilling.fill(&values, width: grid.width, height: grid.height)
        var sigma: Double
        if let error = image.error {
            let sampled = positions.map { Bicubic.sample(error, width: image.width, height: image.height, x: $0.x, y: $0.y) }.filter {
                $0.isFinite && $0 > 0
            }
            sigma = NoiseEstimate.median(sampled) ?? 0
        } else {
            sigma = 0
        }
        if !(sigma > 0) { sigma = NoiseEstimate.imageSigma(values, width: grid.width, height: grid.height) }
        return RegisteredImage(
            filter: image.filter, name: image.name, values: values, sigma: sigma,
            noise: ResampledNoise(
                positions: positions, fineWidth: grid.width, imageWidth: image.width,
                imageHeight: image.height, sigma: sigma),
            covered: covered, coverage: coverage)
    }

    /// Registers `image`, then measures by phase correlation its residual shift against the cube seen through
    /// the same filter (upsampled bicubically) and registers it again with that shift. For moving targets,
    /// whose WCSs do not share the target's position.
    static func refined(_ image: ImageInput, onto grid: FusedGrid, cube: CubeInput, response: [Double]) throws -> (
        RegisteredImage, (dx: Double, dy: Double)
    ) {
        let first = try register(image, onto: grid, cube: cube)
        let plane = cube.plane
        var synthetic = [Float](repeating: 0, count: plane)
        for p in 0..<plane {
            var s = 0.0
            for l in 0..<response.count where response[l] != 0 { s += response[l] * Double(cube.data[l * plane + p]) }
            synthetic[p] = Float(s)
        }
        let reference = Bicubic.upsample(synthetic, width: cube.width, height: cube.height, factor: FusedGrid.factor).map(Double.init)
        let shift = PhaseCorrelation.shift(
            moving: first.values, reference: reference, width: grid.width, height: grid.height,
            cutoff: 0.5 / Double(FusedGrid.factor))
        return (try register(image, onto: grid, cube: cube, shift: shift), shift)
    }
}
