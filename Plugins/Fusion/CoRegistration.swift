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

    /// The fine pixels' positions in the image's pixel coordinates.
    func positions(in image: ImageInput, cube: CubeInput) throws -> [(x: Double, y: Double)] {
        var fine: [(x: Double, y: Double)] = []
        fine.reserveCapacity(width * height)
        for j in 0..<height { for i in 0..<width { fine.append(cubeCoordinates(i, j)) } }
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
    /// Fraction of fine pixels the image covered before gap filling.
    let coverage: Double
}

enum CoRegistration {
    /// Minimum fraction of the fused field an image must cover; smaller overlaps are refused.
    static let minimumCoverage = 0.9

    static func register(_ image: ImageInput, onto grid: FusedGrid, cube: CubeInput) throws -> RegisteredImage {
        let positions = try grid.positions(in: image, cube: cube)
        var values = positions.map { Bicubic.sample(image.data, width: image.width, height: image.height, x: $0.x, y: $0.y) }
        let covered = values.filter(\.isFinite).count
        let coverage = Double(covered) / Double(values.count)
        guard coverage >= minimumCoverage else {
            throw FusionError("\(image.name): covers only \(Int(coverage * 100))% of the cube's field (no usable overlap)")
        }
        GapFilling.fill(&values, width: grid.width, height: grid.height)
        var sigma: Double
        if let error = image.error {
            let sampled = positions.map { Bicubic.sample(error, width: image.width, height: image.height, x: $0.x, y: $0.y) }.filter { $0.isFinite && $0 > 0 }
            sigma = NoiseEstimate.median(sampled) ?? 0
        } else {
            sigma = 0
        }
        if !(sigma > 0) { sigma = NoiseEstimate.imageSigma(values, width: grid.width, height: grid.height) }
        return RegisteredImage(filter: image.filter, name: image.name, values: values, sigma: sigma, coverage: coverage)
    }
}
