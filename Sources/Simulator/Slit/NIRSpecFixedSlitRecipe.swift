import Foundation
import Pipeline

/// `nirspec-fs-cal`: a NIRSpec fixed-slit point-source observation, one `_cal` file (a MultiSlitModel) per
/// dither/nod position. The slit's own subarray holds one slit; FULL and ALLSLITS hold all five, some with
/// secondary sources; nodded files can be written nod-subtracted, as MAST ships them.
public struct NIRSpecFixedSlitRecipe: SimulationRecipe {
    public init() {}

    public let name = "nirspec-fs-cal"
    public let summary = "NIRSpec fixed-slit cal files (one per nod), point source with absorption features, chromatic PSF"

    /// Grating → (blocking filter, first wavelength µm, µm per pixel).
    static let gratings: [String: (filter: String, start: Double, step: Double)] = [
        "G140M": ("F100LP", 0.97, 0.000636), "G235M": ("F170LP", 1.66, 0.00106), "G395M": ("F290LP", 2.87, 0.00179),
        "G140H": ("F100LP", 0.97, 0.000235), "G235H": ("F170LP", 1.66, 0.000396), "G395H": ("F290LP", 2.87, 0.000665),
    ]

    /// The SUBARRAY of the files: the slit's own (one slit per file) or one holding all five slits.
    public enum Subarray: String, Sendable, CaseIterable {
        case auto
        case FULL
        case ALLSLITS
    }

    public struct Settings: SlitRecipeSettings {
        public var program = 4242
        public var scene = SlitScene(dithers: 3, length: 420, cross: 32, psfA: 0.02, psfB: 0.25)
        public var grating = "PRISM"
        public var slit = "S200A1"
        public var subarray = Subarray.auto
        public var secondarySources = 2
        public var nodSubtracted = false

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] =
            [
                .text("grating", \.grating, help: "disperser", choices: ["PRISM"] + NIRSpecFixedSlitRecipe.gratings.keys.sorted()),
                .text("slit", \.slit, help: "fixed slit", choices: FixedSlitLayout.slits.map(\.name)),
                .choice("subarray", \.subarray, help: "SUBARRAY: auto (the slit's own, one slit) or FULL/ALLSLITS (all five slits)"),
                .integer(
                    "secondary_sources", \.secondarySources, help: "slits besides the primary holding a source (FULL/ALLSLITS)",
                    range: 0...4),
                .flag("nod_subtracted", \.nodSubtracted, help: "subtract the other nods from each nod, as MAST's cal files are (S_BKDSUB)"),
            ] + sceneDeclarations
    }

    public func generate(seed: UInt64, settings s: Settings) throws -> [SimulatedFile] {
        let grating = s.grating, slit = s.slit, length = s.scene.length
        let dispersion: SlitDispersion
        let filter: String
        if let g = Self.gratings[grating] {
            dispersion = .linear(start: g.start, step: g.step, pixels: length)
            filter = g.filter
        } else {
            dispersion = .nirspecPrism(pixels: length)
            filter = "CLEAR"
        }
        let setup = SlitInstrumentSetup(
            instrument: "NIRSPEC", exposureType: "NRS_FIXEDSLIT", detector: "NRS1", dataModel: "MultiSlitModel",
            optics: ["FILTER": filter, "GRATING": grating, "FXD_SLIT": slit], slitName: slit,
            subarray: s.subarray == .auto ? FixedSlitLayout.ownSubarray(of: slit) : s.subarray.rawValue,
            patternType: "\(s.scene.dithers)-POINT-NOD", dispersionAlongY: false, unit: "MJy",
            pixelArea: 2.35e-13, slitLengthPixels: FixedSlitLayout.length(of: slit), aperture: .nirspecFixedSlit)
        let random = SeededRandom(seed: seed)
        let o = s.scene.observation(dispersion: dispersion, imageUnitsPerJy: 1e-6, slitLengthPixels: setup.slitLengthPixels, seed: random)
        let primary = SlitFiles.primaryCutout(o, setup: setup, seed: random)
        let secondary = FixedSlitLayout.slitsOpened(by: setup.subarray, primary: slit).dropFirst()
        let withSources = FixedSlitLayout.secondaryPreference.filter { $0 != slit }.prefix(s.secondarySources)
        let cutouts =
            [primary]
            + secondary.map {
                FixedSlitLayout.secondaryCutout(
                    $0, primary: primary, hasSource: withSources.contains($0), pixelArea: setup.pixelArea, seed: random)
            }
        return SlitFiles.files(cutouts, setup: setup, nodSubtracted: s.nodSubtracted) { frame in
            ExposureIdentity(program: s.program, observation: 7, visitGroup: 3, activity: 2, exposure: frame + 1, detector: "nrs1")
        }
    }
}
