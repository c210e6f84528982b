import Foundation
import Pipeline

/// The `--set` keys shared by the slit recipes (scene, pointing, noise, defects), and their translation into a
/// `SlitObservation` once the instrument has fixed the geometry.
enum SlitSceneSettings {
    static func specs(dithers: Int, length: Int, cross: Int, psfA: Double, psfB: Double) -> [ParameterSpec] {
        [
            ParameterSpec("dithers", default: .integer(dithers), help: "dither/nod positions (one file each)", range: 1...9),
            ParameterSpec("length", default: .integer(length), help: "pixels along the dispersion", range: 64...2048),
            ParameterSpec("cross", default: .integer(cross), help: "pixels across the slit", range: 12...128),
            ParameterSpec("nod_spacing", default: .real(0), help: "pixels between dither positions along the slit (0: spread over the middle 60% of the slit)", range: 0...40),
            ParameterSpec("pointing_error", default: .real(0.15), help: "rms sub-pixel pointing error per dither (px)", range: 0...2),
            ParameterSpec("source_offset", default: .real(0), help: "offset of the source from the slit centre (px); large values put it off the slit", range: -200...200),
            ParameterSpec("psf", default: .text("gaussian"), help: "PSF shape across the slit", choices: ["gaussian", "moffat"]),
            ParameterSpec("psf_a", default: .real(psfA), help: "chromatic PSF term a in sigma^2 = a lambda^2 + b (px^2/um^2)", range: 0...1),
            ParameterSpec("psf_b", default: .real(psfB), help: "PSF width floor b (px^2, before pixel integration)", range: 0...9),
            ParameterSpec("psf_beta", default: .real(2.5), help: "Moffat wing index beta", range: 1...10),
            ParameterSpec("trace_slope", default: .real(0.002), help: "trace tilt (cross px per dispersion px)", range: -0.05...0.05),
            ParameterSpec("trace_curvature", default: .real(2e-6), help: "trace curvature (cross px per px^2)", range: -1e-4...1e-4),
            ParameterSpec("wavelength_tilt", default: .real(0.02), help: "shift of iso-wavelength lines per cross pixel (px)", range: -0.2...0.2),
            ParameterSpec("features", default: .integer(8), help: "absorption features in the source spectrum", range: 0...40),
            ParameterSpec("continuum", default: .real(1e-3), help: "source continuum at mid-band (Jy)", range: 1e-9...1e3),
            ParameterSpec("peak_snr", default: .real(150), help: "signal-to-noise of the brightest source pixel at mid-band", range: 1...1e5),
            ParameterSpec("background", default: .real(0.05), help: "background per pixel as a fraction of the peak source pixel at mid-band", range: 0...100),
            ParameterSpec("bad_pixel_fraction", default: .real(0.015), help: "fraction of pixels flagged DO_NOT_USE (NaN or garbage values)", range: 0...0.5),
            ParameterSpec("cosmic_ray_fraction", default: .real(0.003), help: "fraction of pixels hit by cosmic rays left unflagged", range: 0...0.2),
            ParameterSpec("flagged_cosmic_ray_fraction", default: .real(0.002), help: "fraction of pixels hit by cosmic rays flagged JUMP_DET", range: 0...0.2),
        ]
    }

    /// The observation for `settings`, on `dispersion`, with the PSF width and flux units of the instrument.
    static func observation(_ s: ParameterValues, dispersion: SlitDispersion, imageUnitsPerJy: Double,
                            slitLengthPixels: Double, seed: SeededRandom) -> SlitObservation {
        let cross = s.integer("cross"), dithers = s.integer("dithers")
        let psf = SlitPSFLaw(shape: SlitPSFLaw.Shape(rawValue: s.text("psf"))!, a: s.real("psf_a"), b: s.real("psf_b"),
                             beta: s.real("psf_beta"))
        var spectrumRandom = seed.stream("spectrum")
        let spectrum = SlitSourceSpectrum.random(featureCount: s.integer("features"), continuum: s.real("continuum"),
                                                 dispersion: dispersion, minimumWidthPixels: 2.5, rng: &spectrumRandom)
        let usable = min(slitLengthPixels, Double(cross)) * 0.6
        let spacing = s.real("nod_spacing") > 0 ? s.real("nod_spacing") : (dithers > 1 ? usable / Double(dithers - 1) : 0)
        var pointing = seed.stream("pointing")
        let middle = Double(cross - 1) / 2 + s.real("source_offset")
        let centres = (0..<dithers).map { i in
            middle + spacing * (Double(i) - Double(dithers - 1) / 2) + s.real("pointing_error") * pointing.gaussian()
        }
        let reference = Double(dispersion.count - 1) / 2
        let midLambda = dispersion.wavelength(atPixel: reference)
        let peak = spectrum.continuum * imageUnitsPerJy * psf.value(rho: 0, lambda: midLambda)
        let total = peak / s.real("peak_snr")
        return SlitObservation(
            dispersion: dispersion, crossPixels: cross, psf: psf, spectrum: spectrum, traceCentres: centres,
            referencePixel: reference, traceSlope: s.real("trace_slope"), traceCurvature: s.real("trace_curvature"),
            isoWavelengthTilt: s.real("wavelength_tilt"), imageUnitsPerJy: imageUnitsPerJy,
            background: s.real("background") * peak, backgroundGradient: 0.2, backgroundIndex: 1.5,
            // Half the noise variance at the peak pixel is read noise, half photon noise (a bright point source).
            readNoise: (0.5 * total * total).squareRoot(), poissonGain: 0.5 * total * total / peak, flatError: 1e-3,
            badPixelFraction: s.real("bad_pixel_fraction"), cosmicRayFraction: s.real("cosmic_ray_fraction"),
            flaggedCosmicRayFraction: s.real("flagged_cosmic_ray_fraction"))
    }

    /// The primary slit's cut-out: the observation's source, drawn at every nod with the recipe's own random streams.
    static func primaryCutout(_ o: SlitObservation, setup: SlitInstrumentSetup, seed: SeededRandom) -> SlitCutout {
        SlitCutout(name: setup.slitName, number: 1, sourceID: 1, sourceName: "1", sourceType: "POINT", unit: setup.unit,
                   slitLengthPixels: setup.slitLengthPixels, observation: o, hasSource: o.spectrum.continuum > 0,
                   nods: (0..<o.frameCount).map { o.draw(frame: $0, rng: seed) })
    }

    /// One file per dither holding `cutouts`, nod-subtracted when `nodSubtracted` (as MAST ships nodded slit data).
    static func files(_ cutouts: [SlitCutout], setup: SlitInstrumentSetup, nodSubtracted: Bool = false,
                      identity: (Int) -> ExposureIdentity) -> [SimulatedFile] {
        (0..<cutouts[0].observation.frameCount).map { frame in
            SlitCalFile.make(cutouts: cutouts, setup: setup, frame: frame, nodSubtracted: nodSubtracted, identity: identity(frame))
        }
    }
}
