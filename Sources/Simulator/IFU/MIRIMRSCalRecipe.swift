import FITS
import Pipeline

/// `miri-mrs-cal`: a calibrated MIRI MRS exposure (MIRIFUSHORT-like, 1032x1024, dispersion along y) with
/// channel 1 and optionally channel 2, regions 100*channel + slice, and the same scenes and truth as the
/// NIRSpec IFU recipe.
public struct MIRIMRSCalRecipe: SimulationRecipe {
    public init() {}
    public var name: String { "miri-mrs-cal" }
    public var summary: String { "MIRI MRS _cal (1032x1024, dispersion along y, regions 100*channel+slice) with truth" }
    public struct Settings: IFURecipeSettings {
        public var program = 4242
        public var channels = 2
        public var ifu = IFUSceneSettings(fwhm: 1.6, phaseCycle: 200)

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] =
            [.integer("channels", \.channels, help: "channels on the detector (1: channel 1 only)", range: 1...2)]
            + sceneDeclarations(phaseUnit: "rows")
    }

    public func generate(seed: UInt64, settings: Settings) throws -> [SimulatedFile] {
        let layout = IFULayouts.miriMRS(channels: settings.channels, phaseCycle: settings.ifu.phaseCycle)
        let wavelengths = layout.slices[0].wavelengthStart...layout.slices[0].wavelengthEnd
        let scene = settings.ifu.scene(wavelengths: wavelengths)
        let noise = IFUNoiseModel()
        var builder = IFUExposureBuilder(layout: layout, scene: scene, noise: noise, defects: settings.ifu.defects)
        builder.writesRegions = settings.ifu.regions
        let identity = ExposureIdentity(program: settings.program, observation: 7, detector: "MIRIFUSHORT")
        let fileName = identity.fileName(suffix: "cal")
        var primary = JWSTHeaders.primary(
            identity: identity, instrument: "MIRI", exposureType: "MIR_MRS",
            dataModel: "IFUImageModel", fileName: fileName,
            optics: ["CHANNEL": settings.channels == 1 ? "1" : "12", "BAND": "SHORT"])
        IFUHeaders.addCalibration(to: &primary, identity: identity)
        let science = IFUHeaders.scienceHeader(
            sourceType: scene.extended == nil ? "POINT" : "EXTENDED", aperture: .miriMRS)
        return [
            builder.build(
                seed: seed, name: fileName, primary: primary, science: science,
                truthHeader: IFUHeaders.truthHeader(settings, scene: scene, noise: noise))
        ]
    }
}
