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

    public var settings: [ParameterSpec] {
        [ParameterSpec("grating", default: .text("PRISM"), help: "disperser", choices: ["PRISM"] + Self.gratings.keys.sorted()),
         ParameterSpec("slit", default: .text("S200A1"), help: "fixed slit", choices: FixedSlitLayout.slits.map(\.name)),
         ParameterSpec("subarray", default: .text("auto"), help: "SUBARRAY: auto (the slit's own, one slit) or FULL/ALLSLITS (all five slits)",
                       choices: ["auto", "FULL", "ALLSLITS"]),
         ParameterSpec("secondary_sources", default: .integer(2), help: "slits besides the primary holding a source (FULL/ALLSLITS)", range: 0...4),
         ParameterSpec("nod_subtracted", default: .logical(false), help: "subtract the other nods from each nod, as MAST's cal files are (S_BKDSUB)")]
            + SlitSceneSettings.specs(dithers: 3, length: 420, cross: 32, psfA: 0.02, psfB: 0.25)
    }

    public func generate(seed: UInt64, settings s: ParameterValues) throws -> [SimulatedFile] {
        let grating = s.text("grating"), slit = s.text("slit"), length = s.integer("length")
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
            subarray: s.text("subarray") == "auto" ? FixedSlitLayout.ownSubarray(of: slit) : s.text("subarray"),
            patternType: "\(s.integer("dithers"))-POINT-NOD", dispersionAlongY: false, unit: "MJy",
            pixelArea: 2.35e-13, slitLengthPixels: FixedSlitLayout.length(of: slit))
        let random = SeededRandom(seed: seed)
        let o = SlitSceneSettings.observation(s, dispersion: dispersion, imageUnitsPerJy: 1e-6,
                                              slitLengthPixels: setup.slitLengthPixels, seed: random)
        let primary = SlitSceneSettings.primaryCutout(o, setup: setup, seed: random)
        let secondary = FixedSlitLayout.slitsOpened(by: setup.subarray, primary: slit).dropFirst()
        let withSources = FixedSlitLayout.secondaryPreference.filter { $0 != slit }.prefix(s.integer("secondary_sources"))
        let cutouts = [primary] + secondary.map {
            FixedSlitLayout.secondaryCutout($0, primary: primary, hasSource: withSources.contains($0), pixelArea: setup.pixelArea, seed: random)
        }
        return SlitSceneSettings.files(cutouts, setup: setup, nodSubtracted: s.logical("nod_subtracted")) { frame in
            ExposureIdentity(observation: 7, visitGroup: 3, activity: 2, exposure: frame + 1, detector: "nrs1")
        }
    }
}
