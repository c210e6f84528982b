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

    public struct Settings: StepOptions {
        public var program = 4242
        public var spaxels = 20
        public var channels = 600
        public var filters = "F182M,F187N,F200W,F210M,F212N"
        public var roll = 25.0
        public var nirspecSNR = 30.0
        public var nircamSNR = 150.0
        public var calibration = 1.05
        public var badSpaxels = 3
        public var noiseSeed = 0
        public var imageProgram = 0
        public var imageTarget = ""
        public var imagePointing = 0.0
        public var s3dLayout = S3DLayout.jwst3

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] = [
            .program(\.program),
            .integer("spaxels", \.spaxels, help: "cube side in 0.1\" spaxels", range: 6...64),
            .integer("channels", \.channels, help: "wavelength channels from 1.66 to 2.30 µm", range: 32...4000),
            .text("filters", \.filters, help: "NIRCam filters, comma-separated (\(NIRCamBandpass.available.joined(separator: ", ")))"),
            .number("roll", \.roll, help: "NIRCam position angle relative to the north-up cube, degrees", range: -180...180),
            .number("nirspec_snr", \.nirspecSNR, help: "signal-to-noise ratio of the median cube value", range: 1...100_000),
            .number("nircam_snr", \.nircamSNR, help: "signal-to-noise ratio of the median image value", range: 1...100_000),
            .number("calibration", \.calibration, help: "NIRCam/NIRSpec photometric mismatch factor", range: 0.5...2),
            .integer("bad_spaxels", \.badSpaxels, help: "spaxels set to NaN with DQ DO_NOT_USE", range: 0...100),
            .integer(
                "noise_seed", \.noiseSeed,
                help: "seed of the noise alone (the scene stays that of --seed): other noise realisations of one scene; 0 uses --seed",
                range: 0...2_147_483_647),
            .integer("image_program", \.imageProgram, help: "program number of the images (0: the cube's)", range: 0...99999),
            .text("image_target", \.imageTarget, help: "target name of the images (empty: the cube's, SIM-FUSION)"),
            .number(
                "image_pointing", \.imagePointing,
                help:
                    "offset of the images' pointing east of the cube's, arcsec (they then see a field of the same kind of scene, not the cube's)",
                range: -3600...3600),
            .choice(
                "s3d_layout", \.s3dLayout,
                help:
                    "the cube's layout: jwst3 (linear WAVE axis, jwst 3.0's default), jwst3tab (WAVE-TAB, jwst 3.0 with linear_wave=False) or wavetab (WAVE-TAB with the older nelem table)"
            ),
        ]
    }

    static let target = (ra: 83.818_75, dec: -5.389_72)
    static let wavelengthRange = 1.66...2.30

    public func generate(seed: UInt64, settings: Settings) throws -> [SimulatedFile] {
        let random = SeededRandom(seed: seed)
        let side = settings.spaxels
        let channels = settings.channels
        let filters = settings.filters.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let bandpasses = try filters.map { filter throws(ParameterError) -> NIRCamBandpass in
            guard let band = NIRCamBandpass(filter: filter) else {
                throw ParameterError("filters: unknown filter '\(filter)'; valid: \(NIRCamBandpass.available.joined(separator: ", "))")
            }
            return band
        }
        guard !bandpasses.isEmpty else { throw ParameterError("filters: give at least one NIRCam filter") }
        let roll = settings.roll

        let range = Self.wavelengthRange
        let step = (range.upperBound - range.lowerBound) / Double(channels - 1)
        let wavelengths = (0..<channels).map { range.lowerBound + step * Double($0) }
        let cubeFrame = InstrumentFrame(width: side, height: side, scale: InstrumentOptics.nirspecSpaxel, roll: 0, target: Self.target)
        let r = roll * .pi / 180
        let imageSide = Int(
            ((Double(side) * cubeFrame.scale * (abs(cos(r)) + abs(sin(r))) + 1.0) / InstrumentOptics.nircamShortPixel).rounded(.up))
        let imageFrame = InstrumentFrame(
            width: imageSide, height: imageSide, scale: InstrumentOptics.nircamShortPixel, roll: roll,
            target: Self.target)
        // Images pointed elsewhere see a field of the same kind rendered on their own grid (rendering the sky
        // between the two pointings would cost a grid spanning both); only their WCS and footprint move.
        var pointedImageFrame = imageFrame
        pointedImageFrame.pointingOffset = (settings.imagePointing, 0)

        var sceneRandom = random.stream("scene")
        let scene = FusionScene(fieldRadius: Double(side) * cubeFrame.scale / 2, channelStep: step, random: &sceneRandom)
        let observation = FusionObservation.observe(
            scene: scene, cubeFrame: cubeFrame, imageFrame: imageFrame, wavelengths: wavelengths,
            bandpasses: bandpasses, calibration: settings.calibration)

        let noiseSeed = settings.noiseSeed
        let noise = noiseSeed > 0 ? SeededRandom(seed: UInt64(noiseSeed)) : random
        var cubeNoise = noise.stream("nirspec noise")
        let cubeSigma = FusionNoise.sigma(of: observation.cube, snr: settings.nirspecSNR)
        var cube = FusionNoise.add(to: observation.cube, sigma: cubeSigma, random: &cubeNoise)
        var badRandom = random.stream("bad spaxels")
        var bad = Set<Int>()
        while bad.count < min(settings.badSpaxels, side * side / 4) { bad.insert(Int(badRandom.uniform() * Double(side * side))) }
        for p in bad { for l in 0..<channels { cube[l * side * side + p] = .nan } }

        let program = settings.program
        let imageProgram = settings.imageProgram == 0 ? program : settings.imageProgram
        let imageTarget = settings.imageTarget.isEmpty ? FusionFiles.target : settings.imageTarget
        var files = [
            FusionFiles.cube(
                program: program, cube: cube, noiseless: observation.cube, sigma: cubeSigma, badSpaxels: bad, frame: cubeFrame,
                wavelengths: wavelengths, layout: settings.s3dLayout, truth: observation.truth, scene: scene)
        ]
        for (f, band) in bandpasses.enumerated() {
            var imageNoise = noise.stream("nircam noise \(band.filter)")
            let sigma = FusionNoise.sigma(of: observation.images[f], snr: settings.nircamSNR)
            let image = FusionNoise.add(to: observation.images[f], sigma: sigma, random: &imageNoise)
            files.append(
                FusionFiles.image(
                    program: imageProgram, target: imageTarget, image: image, noiseless: observation.images[f], sigma: sigma,
                    filter: band.filter, frame: pointedImageFrame))
        }
        return files
    }
}
