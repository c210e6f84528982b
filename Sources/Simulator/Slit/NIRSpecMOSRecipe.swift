import FITS
import Foundation
import Pipeline

/// `nirspec-mos-cal`: a NIRSpec MOS (NRS_MSASPEC, PRISM) observation nodded along 3-shutter slitlets, one `_cal`
/// file (a MultiSlitModel) per nod as MAST ships it: one slitlet per source, plus background slitlets, each nod
/// with the other two subtracted (S_BKDSUB), BARSHADOW per slitlet, MSAMETFL/MSAMETID/NOD_TYPE in the primary.
public struct NIRSpecMOSRecipe: SimulationRecipe {
    public init() {}

    public let name = "nirspec-mos-cal"
    public let summary = "NIRSpec MOS cal files (PRISM, 3-shutter slitlets, 3 nods), one source per slitlet plus background slitlets"

    /// Shutter pitch along the slitlet in pixels (0.53" at 0.1"/px); a nod moves the source by one shutter.
    static let shutterPitch = 5.3

    public struct Settings: SlitRecipeSettings {
        public var program = 4242
        // 3 nods over the middle 60 % of 17.7 px: one shutter pitch apart. A slitlet cut-out is 25 rows (CEERS).
        public var scene = SlitScene(dithers: 3, length: 341, cross: 25, psfA: 0.02, psfB: 0.25)
        public var sources = 3
        public var backgroundSlitlets = 1
        public var nodSubtracted = true

        public init() {}

        public static let declarations: [OptionDeclaration<Self>] =
            [
                .integer("sources", \.sources, help: "slitlets holding a source", range: 1...20),
                .integer("background_slitlets", \.backgroundSlitlets, help: "slitlets holding background only", range: 0...10),
                .flag("nod_subtracted", \.nodSubtracted, help: "subtract the other nods from each nod, as MAST's cal files are (S_BKDSUB)"),
            ] + sceneDeclarations
    }

    public func generate(seed: UInt64, settings s: Settings) throws -> [SimulatedFile] {
        let slitletLength = Self.shutterPitch / 0.3
        let setup = SlitInstrumentSetup(
            instrument: "NIRSPEC", exposureType: "NRS_MSASPEC", detector: "NRS1", dataModel: "MultiSlitModel",
            optics: ["FILTER": "CLEAR", "GRATING": "PRISM"], slitName: "11", subarray: "FULL", patternType: "NONE",
            dispersionAlongY: false,
            modeKeywords: [
                ("MSAMETFL", .string("jw\(ExposureIdentity.padded(s.program, 5))011001_01_msa.fits")), ("MSAMETID", .integer(1)),
                ("MSACONID", .integer(1)), ("NOD_TYPE", .string("3-SHUTTER-SLITLET")),
            ],
            unit: "MJy", pixelArea: 2.35e-13, slitLengthPixels: slitletLength, aperture: .nirspec)
        let random = SeededRandom(seed: seed)
        let o = s.scene.observation(
            dispersion: .nirspecPrism(pixels: s.scene.length), imageUnitsPerJy: 1e-6,
            slitLengthPixels: slitletLength, seed: random)
        var first = SlitFiles.primaryCutout(o, setup: setup, seed: random)
        first.number = 11
        first.sourceID = 1001
        first.sourceName = "\(s.program)_1001"
        let count = s.sources + s.backgroundSlitlets
        var cutouts = [first]
        for i in 1..<count {
            let hasSource = i < s.sources
            var position = random.stream("position-\(i)")
            let slitlet = 11 + 7 * i
            // jwst numbers a background slitlet's source after the slitlet and names it <program>_BKG<slitlet>.
            cutouts.append(
                SlitCutout.companion(
                    of: first, name: String(slitlet), number: slitlet, sourceID: hasSource ? 1001 + i : slitlet,
                    sourceName: hasSource ? "\(s.program)_\(1001 + i)" : "\(s.program)_BKG\(slitlet)",
                    sourceType: hasSource ? "POINT" : "EXTENDED",
                    unit: "MJy", unitScale: 1, slitLengthPixels: slitletLength, crossPixels: o.crossPixels,
                    offset: hasSource ? 0.8 * (position.uniform() - 0.5) : 0, hasSource: hasSource, seed: random))
        }
        cutouts = cutouts.enumerated().map { index, cutout in
            var c = cutout
            // Three shutters along MSA columns 30-32 of a row of their own; shutter columns run up the cut-out.
            c.slitlet = MOSSlitlet(
                quadrant: 1 + index % 4, row: 100 + c.number, firstColumn: 30, shutters: 3, pitch: Self.shutterPitch,
                middleRow: Double(c.observation.crossPixels - 1) / 2, direction: 1, holdsSource: c.hasSource)
            c.barShadow = Self.barShadow(cross: c.observation.crossPixels, length: c.observation.length)
            return c
        }
        return SlitFiles.files(cutouts, setup: setup, nodSubtracted: s.nodSubtracted) { frame in
            ExposureIdentity(program: s.program, observation: 11, visitGroup: 3, activity: 1, exposure: frame + 1, detector: "nrs1")
        }
    }

    /// The bar-shadow correction the pipeline divided each slitlet by: 1 in the open shutters, dipping to 0.6 over
    /// the two bars between the three shutters (Gaussian, 0.6 px), the same at every wavelength.
    static func barShadow(cross: Int, length: Int) -> [Float] {
        let middle = Double(cross - 1) / 2
        let bars = [middle - shutterPitch / 2, middle + shutterPitch / 2]
        let column = (0..<cross).map { j in
            Float(bars.reduce(1.0) { $0 * (1 - 0.4 * exp(-0.5 * pow((Double(j) - $1) / 0.6, 2))) })
        }
        return column.flatMap { [Float](repeating: $0, count: length) }
    }
}
