import FITS
import Foundation
import Optics
import Pipeline

/// `fusion-pair`: a NIRSpec IFU `_s3d` cube (G235H/F170LP, 0.1" spaxels, north up) and NIRCam `_i2d` images
/// (0.031" pixels, rolled against the cube) of one truth hyperspectral scene, for the SyFu fusion step.
/// The cube's truth file holds the scene on the fused grid (a third of a spaxel), the noiseless cube and the
/// endmember spectra; each image's truth file holds its noiseless image.
public struct FusionPairRecipe: SimulationRecipe {
    public init() {}

    public var name: String { "fusion-pair" }
    public var summary: String { "NIRCam i2d images + NIRSpec IFU s3d cube of one scene, with its truth on the fused grid" }

    public var settings: [ParameterSpec] {
        [
            ParameterSpec("spaxels", default: .integer(20), help: "cube side in 0.1\" spaxels", range: 6...64),
            ParameterSpec("channels", default: .integer(600), help: "wavelength channels from 1.66 to 2.30 µm", range: 32...4000),
            ParameterSpec("filters", default: .text("F182M,F187N,F200W,F210M,F212N"),
                          help: "NIRCam filters, comma-separated (\(NIRCamBandpass.available.joined(separator: ", ")))"),
            ParameterSpec("roll", default: .real(25), help: "NIRCam position angle relative to the north-up cube, degrees", range: -180...180),
            ParameterSpec("nirspec_snr", default: .real(30), help: "signal-to-noise ratio of the median cube value", range: 1...100_000),
            ParameterSpec("nircam_snr", default: .real(150), help: "signal-to-noise ratio of the median image value", range: 1...100_000),
            ParameterSpec("calibration", default: .real(1.05), help: "NIRCam/NIRSpec photometric mismatch factor", range: 0.5...2),
            ParameterSpec("bad_spaxels", default: .integer(3), help: "spaxels set to NaN with DQ DO_NOT_USE", range: 0...100),
            ParameterSpec("noise_seed", default: .integer(0),
                          help: "seed of the noise alone (the scene stays that of --seed): other noise realisations of one scene; 0 uses --seed",
                          range: 0...2_147_483_647),
            ParameterSpec("s3d_layout", default: .text(S3DLayout.jwst3.rawValue),
                          help: "the cube's layout: jwst3 (linear WAVE axis, as jwst 3.0 writes it) or wavetab (WAVE-TAB with the older nelem table)",
                          choices: S3DLayout.allCases.map(\.rawValue)),
        ]
    }

    static let target = (ra: 83.818_75, dec: -5.389_72)
    static let wavelengthRange = 1.66...2.30

    public func generate(seed: UInt64, settings: ParameterValues) throws -> [SimulatedFile] {
        let random = SeededRandom(seed: seed)
        let side = settings.integer("spaxels")
        let channels = settings.integer("channels")
        let filters = settings.text("filters").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let bandpasses = try filters.map { filter throws(ParameterError) -> NIRCamBandpass in
            guard let band = NIRCamBandpass(filter: filter) else {
                throw ParameterError("filters: unknown filter '\(filter)'; valid: \(NIRCamBandpass.available.joined(separator: ", "))")
            }
            return band
        }
        guard !bandpasses.isEmpty else { throw ParameterError("filters: give at least one NIRCam filter") }
        let roll = settings.real("roll")

        let range = Self.wavelengthRange
        let step = (range.upperBound - range.lowerBound) / Double(channels - 1)
        let wavelengths = (0..<channels).map { range.lowerBound + step * Double($0) }
        let cubeFrame = InstrumentFrame(width: side, height: side, scale: InstrumentOptics.nirspecSpaxel, roll: 0, target: Self.target)
        let r = roll * .pi / 180
        let imageSide = Int(((Double(side) * cubeFrame.scale * (abs(cos(r)) + abs(sin(r))) + 1.0) / InstrumentOptics.nircamShortPixel).rounded(.up))
        let imageFrame = InstrumentFrame(width: imageSide, height: imageSide, scale: InstrumentOptics.nircamShortPixel, roll: roll,
                                         target: Self.target)

        var sceneRandom = random.stream("scene")
        let scene = FusionScene(fieldRadius: Double(side) * cubeFrame.scale / 2, channelStep: step, random: &sceneRandom)
        let observation = FusionObservation.observe(scene: scene, cubeFrame: cubeFrame, imageFrame: imageFrame, wavelengths: wavelengths,
                                                    bandpasses: bandpasses, calibration: settings.real("calibration"))

        let noiseSeed = settings.integer("noise_seed")
        let noise = noiseSeed > 0 ? SeededRandom(seed: UInt64(noiseSeed)) : random
        var cubeNoise = noise.stream("nirspec noise")
        let cubeSigma = FusionNoise.sigma(of: observation.cube, snr: settings.real("nirspec_snr"))
        var cube = FusionNoise.add(to: observation.cube, sigma: cubeSigma, random: &cubeNoise)
        var badRandom = random.stream("bad spaxels")
        var bad = Set<Int>()
        while bad.count < min(settings.integer("bad_spaxels"), side * side / 4) { bad.insert(Int(badRandom.uniform() * Double(side * side))) }
        for p in bad { for l in 0..<channels { cube[l * side * side + p] = .nan } }

        let layout = S3DLayout(rawValue: settings.text("s3d_layout")) ?? .jwst3
        var files = [FusionFiles.cube(cube: cube, noiseless: observation.cube, sigma: cubeSigma, badSpaxels: bad, frame: cubeFrame,
                                      wavelengths: wavelengths, layout: layout, truth: observation.truth, scene: scene)]
        for (f, band) in bandpasses.enumerated() {
            var imageNoise = noise.stream("nircam noise \(band.filter)")
            let sigma = FusionNoise.sigma(of: observation.images[f], snr: settings.real("nircam_snr"))
            let image = FusionNoise.add(to: observation.images[f], sigma: sigma, random: &imageNoise)
            files.append(FusionFiles.image(image: image, noiseless: observation.images[f], sigma: sigma, filter: band.filter, frame: imageFrame))
        }
        return files
    }
}
