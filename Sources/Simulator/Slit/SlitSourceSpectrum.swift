import Foundation

/// The spectrum of a simulated point source: a smooth continuum with a gentle modulation, times Gaussian
/// absorption features. Flux density in Jy at the instrument's resolution (features are at least a few pixels
/// wide, as they would be after the line-spread function).
public struct SlitSourceSpectrum: Sendable, Equatable {
    /// One absorption feature: centre (µm), Gaussian width σ (µm) and fractional depth at the centre.
    public struct Feature: Sendable, Equatable {
        public var center: Double
        public var width: Double
        public var depth: Double
    }

    /// Continuum flux density (Jy) at `referenceWavelength`.
    public var continuum: Double
    public var referenceWavelength: Double
    /// Power-law index of the continuum, f ∝ λ^index.
    public var index: Double
    /// Range the modulation period is scaled to (µm).
    public var range: ClosedRange<Double>
    public var features: [Feature]

    /// Flux density in Jy at `wavelength` (µm).
    public func flux(at wavelength: Double) -> Double {
        let span = range.upperBound - range.lowerBound
        var f = continuum * pow(wavelength / referenceWavelength, index)
        f *= 1 + 0.08 * sin(2 * Double.pi * (wavelength - range.lowerBound) / (0.6 * span))
        for feature in features {
            let u = (wavelength - feature.center) / feature.width
            f *= 1 - feature.depth * exp(-0.5 * u * u)
        }
        return f
    }

    /// A spectrum with `featureCount` features placed at random inside `dispersion`'s range, each at least
    /// `minimumWidthPixels` pixels wide (σ) where it falls.
    static func random(
        featureCount: Int, continuum: Double, dispersion: SlitDispersion, minimumWidthPixels: Double,
        rng: inout SeededRandom
    ) -> SlitSourceSpectrum {
        let lo = dispersion.wavelengths.min()!, hi = dispersion.wavelengths.max()!
        var features: [Feature] = []
        for _ in 0..<featureCount {
            let pixel = Double(dispersion.count - 1) * (0.05 + 0.9 * rng.uniform())
            let step = abs(dispersion.derivative(atPixel: pixel))
            features.append(
                Feature(
                    center: dispersion.wavelength(atPixel: pixel),
                    width: step * minimumWidthPixels * (1 + 1.5 * rng.uniform()),
                    depth: 0.1 + 0.4 * rng.uniform()))
        }
        return SlitSourceSpectrum(
            continuum: continuum, referenceWavelength: (lo + hi) / 2, index: -1.2, range: lo...hi,
            features: features)
    }
}
