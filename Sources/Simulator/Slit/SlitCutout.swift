/// One slit of a simulated `_cal` exposure: the scene drawn in it and the keywords jwst writes for it. A
/// fixed-slit file holds one cut-out per slit its SUBARRAY opens; a slit without a source holds background only.
struct SlitCutout: Sendable {
    /// SLTNAME, and the slit's number in jwst's fixed-slit order (S200A1 = 1 … S200B1 = 5; 1 for a lone slit).
    var name: String
    var number: Int
    /// SOURCEID: 1 for the primary fixed slit's source, 10 × slit number + 1 for a secondary slit's; the MSA
    /// catalogue's number for MOS.
    var sourceID: Int
    var sourceName: String
    /// SRCALIAS: the catalogue's own name for the source, which jwst's SRCNAME prefixes with the program.
    var sourceAlias: String { sourceName.split(separator: "_").last.map(String.init) ?? sourceName }
    /// POINT for the primary slit; jwst marks the secondary slits' sources EXTENDED (and calibrates them in MJy/sr).
    var sourceType: String
    var unit: String
    /// Cross-slit pixels per unit of SRCYPOS.
    var slitLengthPixels: Double
    var observation: SlitObservation
    var hasSource: Bool
    /// Every nod as drawn (before any nod subtraction).
    var nods: [SlitObservation.Frame]
    /// MOS only: the slitlet's shutters, and the bar-shadow correction the pipeline divided the slitlet by
    /// (spectrograph order), written as BARSHADOW.
    var slitlet: MOSSlitlet?
    var barShadow: [Float]?

    /// A further slit of the same exposures: the primary's nods (the telescope moves every slit together), PSF,
    /// dispersion and noise, `crossPixels` tall, its units `unitScale` times the primary's. With a source, its own
    /// spectrum (same continuum) sits `offset` px from where the primary's sits relative to its centre; without
    /// one, the slit holds background only.
    static func companion(
        of primary: SlitCutout, name: String, number: Int, sourceID: Int, sourceName: String, sourceType: String,
        unit: String, unitScale: Double, slitLengthPixels: Double, crossPixels: Int, offset: Double,
        hasSource: Bool, seed: SeededRandom
    ) -> SlitCutout {
        let p = primary.observation
        var o = p
        o.crossPixels = crossPixels
        let shift = Double(crossPixels - p.crossPixels) / 2 + offset
        o.traceCentres = p.traceCentres.map { $0 + shift }
        o.plannedCentres = p.plannedCentres.map { $0 + shift }
        var spectrumRandom = seed.stream("spectrum-\(name)")
        o.spectrum = SlitSourceSpectrum.random(
            featureCount: p.spectrum.features.count, continuum: hasSource ? p.spectrum.continuum : 0,
            dispersion: p.dispersion, minimumWidthPixels: 2.5, rng: &spectrumRandom)
        o.imageUnitsPerJy *= unitScale
        o.background *= unitScale
        o.readNoise *= unitScale
        o.poissonGain *= unitScale
        let streams = seed.stream("slit-\(name)")
        return SlitCutout(
            name: name, number: number, sourceID: sourceID, sourceName: sourceName, sourceType: sourceType, unit: unit,
            slitLengthPixels: slitLengthPixels, observation: o, hasSource: hasSource,
            nods: (0..<o.frameCount).map { o.draw(frame: $0, rng: streams) })
    }
}
