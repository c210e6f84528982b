import Foundation
import Numerics
import Pipeline

/// What the slit recipes share — scene, pointing, noise and defects — with each instrument's own defaults for the
/// geometry and PSF, and its translation into a `SlitObservation` once the instrument has fixed the geometry.
public struct SlitScene: Sendable {
    public var dithers: Int
    public var length: Int
    public var cross: Int
    public var nodSpacing = 0.0
    public var pointingError = 0.15
    public var sourceOffset = 0.0
    public var psf = SlitPSFLaw.Shape.gaussian
    public var psfA: Double
    public var psfB: Double
    public var psfBeta = 2.5
    public var traceSlope = 0.002
    public var traceCurvature = 2e-6
    public var wavelengthTilt = 0.02
    public var features = 8
    public var continuum = 1e-3
    public var peakSNR = 150.0
    public var background = 0.05
    public var badPixelFraction = 0.015
    public var cosmicRayFraction = 0.003
    public var flaggedCosmicRayFraction = 0.002

    init(dithers: Int, length: Int, cross: Int, psfA: Double, psfB: Double) {
        self.dithers = dithers
        self.length = length
        self.cross = cross
        self.psfA = psfA
        self.psfB = psfB
    }
}

extension SlitScene {
    /// The observation of this scene on `dispersion`, with the PSF width and flux units of the instrument.
    func observation(dispersion: SlitDispersion, imageUnitsPerJy: Double, slitLengthPixels: Double, seed: SeededRandom) -> SlitObservation {
        let psf = SlitPSFLaw(shape: self.psf, a: psfA, b: psfB, beta: psfBeta)
        var spectrumRandom = seed.stream("spectrum")
        let spectrum = SlitSourceSpectrum.random(
            featureCount: features, continuum: continuum,
            dispersion: dispersion, minimumWidthPixels: 2.5, rng: &spectrumRandom)
        let usable = min(slitLengthPixels, Double(cross)) * 0.6
        let spacing = nodSpacing > 0 ? nodSpacing : (dithers > 1 ? usable / Double(dithers - 1) : 0)
        var pointing = seed.stream("pointing")
        let middle = Double(cross - 1) / 2 + sourceOffset
        let planned = (0..<dithers).map { i in middle + spacing * (Double(i) - Double(dithers - 1) / 2) }
        let centres = planned.map { $0 + pointingError * pointing.gaussian() }
        let reference = Double(dispersion.count - 1) / 2
        let midLambda = dispersion.wavelength(atPixel: reference)
        let peak = spectrum.continuum * imageUnitsPerJy * psf.value(rho: 0, lambda: midLambda)
        let total = peak / peakSNR
        return SlitObservation(
            dispersion: dispersion, crossPixels: cross, psf: psf, spectrum: spectrum, traceCentres: centres,
            plannedCentres: planned,
            referencePixel: reference, traceSlope: traceSlope, traceCurvature: traceCurvature,
            isoWavelengthTilt: wavelengthTilt, imageUnitsPerJy: imageUnitsPerJy,
            background: background * peak, backgroundGradient: 0.2, backgroundIndex: 1.5,
            // Half the noise variance at the peak pixel is read noise, half photon noise (a bright point source).
            readNoise: (0.5 * total * total).squareRoot(), poissonGain: 0.5 * total * total / peak, flatError: 1e-3,
            badPixelFraction: badPixelFraction, cosmicRayFraction: cosmicRayFraction,
            flaggedCosmicRayFraction: flaggedCosmicRayFraction)
    }
}
