import Pipeline

/// Building the files of a slit observation from its cut-outs.
enum SlitFiles {
    /// The primary slit's cut-out: the observation's source, drawn at every nod with the recipe's own random streams.
    static func primaryCutout(_ o: SlitObservation, setup: SlitInstrumentSetup, seed: SeededRandom) -> SlitCutout {
        SlitCutout(
            name: setup.slitName, number: 1, sourceID: 1, sourceName: "1", sourceType: "POINT", unit: setup.unit,
            slitLengthPixels: setup.slitLengthPixels, observation: o, hasSource: o.spectrum.continuum > 0,
            nods: (0..<o.frameCount).map { o.draw(frame: $0, rng: seed) })
    }

    /// One file per dither holding `cutouts`, nod-subtracted when `nodSubtracted` (as MAST ships nodded slit data).
    static func files(
        _ cutouts: [SlitCutout], setup: SlitInstrumentSetup, nodSubtracted: Bool = false,
        identity: (Int) -> ExposureIdentity
    ) -> [SimulatedFile] {
        (0..<cutouts[0].observation.frameCount).map { frame in
            SlitCalFile.make(cutouts: cutouts, setup: setup, frame: frame, nodSubtracted: nodSubtracted, identity: identity(frame))
        }
    }
}
