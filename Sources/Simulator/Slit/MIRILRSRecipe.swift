import Foundation
import Pipeline

/// `miri-lrs-cal`: a MIRI LRS fixed-slit (P750L) point source nodded along the slit, dispersion along detector y
/// with wavelength decreasing upwards, in MJy/sr; one `_cal` file per nod, a SlitModel as jwst 2.0 and later write
/// it, or the ImageModel of earlier versions.
public struct MIRILRSRecipe: SimulationRecipe {
    public init() {}

    public let name = "miri-lrs-cal"
    public let summary = "MIRI LRS fixed-slit cal files (P750L, 2 nods), dispersion along y; SlitModel (jwst >= 2.0) or ImageModel"

    /// The data model of the `_cal` files.
    public enum Layout: String, Sendable, CaseIterable {
        /// jwst 2.0 and later: a SlitModel, the SCI header carrying the slit keywords.
        case slit
        /// Before jwst 2.0: an ImageModel, without slit keywords.
        case image
    }

    public struct Settings: SlitRecipeSettings {
        public var program = 4242
        // Diffraction: FWHM ≈ 0.31" at 10 µm ≈ 2.8 px, σ ≈ 1.2 px → a ≈ 0.0145; b for jitter and optics.
        public var scene = SlitScene(dithers: 2, length: 380, cross: 44, psfA: 0.0145, psfB: 0.15)
        public var layout = Layout.slit

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] =
            sceneDeclarations + [
                .choice(
                    "layout", \.layout, help: "data model of the cal files: slit (SlitModel, jwst >= 2.0) or image (ImageModel, earlier)")
            ]
    }

    /// MIRI imager pixels are 0.11": 2.84e-13 sr; the LRS slit is 4.7" long (~43 px).
    static let pixelArea = 2.84e-13

    public func generate(seed: UInt64, settings s: Settings) throws -> [SimulatedFile] {
        // Wavelength falls from ~14 µm at the bottom to 5 µm at the top, faster at long wavelengths.
        let dispersion = SlitDispersion.resolvingPower({ l in 40 + 16 * (l - 5) }, range: 5.0...14.0, pixels: s.scene.length)
        let decreasing = SlitDispersion(wavelengths: dispersion.wavelengths.reversed())
        let setup = SlitInstrumentSetup(
            instrument: "MIRI", exposureType: "MIR_LRS-FIXEDSLIT", detector: "MIRIMAGE",
            dataModel: s.layout == .slit ? "SlitModel" : "ImageModel", slitKeywords: s.layout == .slit,
            optics: ["FILTER": "P750L"], slitName: "LRS", subarray: "FULL", patternType: "ALONG-SLIT-NOD",
            dispersionAlongY: true, unit: "MJy/sr", pixelArea: Self.pixelArea, slitLengthPixels: 43, aperture: .miriLRS)
        let random = SeededRandom(seed: seed)
        let o = s.scene.observation(
            dispersion: decreasing, imageUnitsPerJy: 1e-6 / Self.pixelArea,
            slitLengthPixels: setup.slitLengthPixels, seed: random)
        return SlitFiles.files([SlitFiles.primaryCutout(o, setup: setup, seed: random)], setup: setup) { frame in
            ExposureIdentity(program: s.program, observation: 9, visitGroup: 2, activity: 1, exposure: frame + 1, detector: "mirimage")
        }
    }
}
