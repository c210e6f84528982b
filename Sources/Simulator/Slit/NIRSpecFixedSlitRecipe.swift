import Foundation
import Pipeline

/// `nirspec-fs-cal`: a NIRSpec fixed-slit point-source observation, one `_cal` file per dither/nod position.
public struct NIRSpecFixedSlitRecipe: SimulationRecipe {
    public init() {}

    public let name = "nirspec-fs-cal"
    public let summary = "NIRSpec fixed-slit cal files (one per nod), point source with absorption features, chromatic PSF"

    /// Slit lengths in pixels (0.1"/px): S200A1/A2 3.3", S400A1 3.8", S1600A1 1.6", S200B1 3.3".
    static let slits: [String: Double] = ["S200A1": 33, "S200A2": 33, "S200B1": 33, "S400A1": 38, "S1600A1": 16]
    /// Grating → (blocking filter, first wavelength µm, µm per pixel).
    static let gratings: [String: (filter: String, start: Double, step: Double)] = [
        "G140M": ("F100LP", 0.97, 0.000636), "G235M": ("F170LP", 1.66, 0.00106), "G395M": ("F290LP", 2.87, 0.00179),
        "G140H": ("F100LP", 0.97, 0.000235), "G235H": ("F170LP", 1.66, 0.000396), "G395H": ("F290LP", 2.87, 0.000665),
    ]

    public var settings: [ParameterSpec] {
        [ParameterSpec("grating", default: .text("PRISM"), help: "disperser", choices: ["PRISM"] + Self.gratings.keys.sorted()),
         ParameterSpec("slit", default: .text("S200A1"), help: "fixed slit", choices: Self.slits.keys.sorted())]
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
            optics: ["FILTER": filter, "GRATING": grating, "FXD_SLIT": slit], slitName: slit, subarray: "SUB\(slit)",
            patternType: "\(s.integer("dithers"))-POINT-NOD", dispersionAlongY: false, unit: "MJy",
            pixelArea: 2.35e-13, slitLengthPixels: Self.slits[slit]!)
        let random = SeededRandom(seed: seed)
        let o = SlitSceneSettings.observation(s, dispersion: dispersion, imageUnitsPerJy: 1e-6,
                                              slitLengthPixels: setup.slitLengthPixels, seed: random)
        return SlitSceneSettings.files(o, setup: setup, seed: random) { frame in
            ExposureIdentity(observation: 7, visitGroup: 3, activity: 2, exposure: frame + 1, detector: "nrs1")
        }
    }
}
