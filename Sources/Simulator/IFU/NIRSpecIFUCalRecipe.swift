import FITS
import Pipeline

/// `nirspec-ifu-cal`: a calibrated NIRSpec IFU exposure (NRS1 or NRS2, 2048x2048, MJy/sr) with the 30 slices
/// where the real ones fall, a tilted and curved trace, and the truth needed to score oversampling.
public struct NIRSpecIFUCalRecipe: SimulationRecipe {
    public init() {}
    public var name: String { "nirspec-ifu-cal" }
    public var summary: String {
        "NIRSpec IFU _cal (NRS1/NRS2, 30 slices, MJy/sr, REGIONS, WAVELENGTH) with noiseless and oversampled truth"
    }
    public struct Settings: IFURecipeSettings {
        public var program = 4242
        public var detector = NIRSpecDetector.NRS1
        public var ifu = IFUSceneSettings(fwhm: 1.4, phaseCycle: 128)

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] =
            [.choice("detector", \.detector, help: "detector")] + sceneDeclarations(phaseUnit: "columns")
    }

    public static let wavelengths: ClosedRange<Double> = 1.66...3.05

    public func generate(seed: UInt64, settings: Settings) throws -> [SimulatedFile] {
        let detector = settings.detector.rawValue
        let layout = IFULayouts.nirspec(detector: detector, phaseCycle: settings.ifu.phaseCycle, wavelengths: Self.wavelengths)
        let scene = settings.ifu.scene(wavelengths: Self.wavelengths)
        let noise = IFUNoiseModel()
        var builder = IFUExposureBuilder(layout: layout, scene: scene, noise: noise, defects: settings.ifu.defects)
        builder.writesRegions = settings.ifu.regions
        let identity = ExposureIdentity(program: settings.program, observation: 5, detector: detector)
        let fileName = identity.fileName(suffix: "cal")
        // REGIONS came with jwst 1.19; a file without it is from an earlier calibration.
        var primary = JWSTHeaders.primary(
            identity: identity, instrument: "NIRSPEC", exposureType: "NRS_IFU",
            dataModel: "IFUImageModel", fileName: fileName,
            optics: ["GRATING": "G235H", "FILTER": "F170LP"], calibrationVersion: settings.ifu.regions ? "1.19.1" : "1.18.1")
        IFUHeaders.addCalibration(to: &primary, identity: identity)
        let science = IFUHeaders.scienceHeader(
            sourceType: scene.extended == nil ? "POINT" : "EXTENDED", aperture: .nirspec)
        return [
            builder.build(
                seed: seed, name: fileName, primary: primary, science: science,
                truthHeader: IFUHeaders.truthHeader(settings, scene: scene, noise: noise))
        ]
    }
}
