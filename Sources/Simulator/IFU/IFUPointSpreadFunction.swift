import Foundation

/// The spatial PSF of an IFU slicer spectrograph, as seen by one slice: an undersampled Gaussian core plus
/// power-law (Airy-like, intensity ∝ r⁻³) Moffat wings that reach the neighbouring slices. Both scale with
/// wavelength like a diffraction-limited PSF. Lengths are in native pixels; one slice is one pixel wide on the sky.
public struct IFUPointSpreadFunction: Sendable, Equatable {
    /// Core FWHM (px) at `referenceWavelength`.
    public var coreFWHM: Double
    /// Fraction of the flux in the wings.
    public var wingFraction: Double
    /// Moffat width γ (px) of the wings at `referenceWavelength`.
    public var wingWidth: Double
    public var referenceWavelength: Double

    public init(coreFWHM: Double, wingFraction: Double = 0.15, wingWidth: Double = 1.5, referenceWavelength: Double) {
        self.coreFWHM = coreFWHM
        self.wingFraction = wingFraction
        self.wingWidth = wingWidth
        self.referenceWavelength = referenceWavelength
    }

    /// Fraction of a unit point source's flux that lands in a one-pixel box centred `along` px from the source
    /// along the slice, in a slice whose centre is `across` slice widths from the source.
    public func pixelFraction(along a: Double, across b: Double, wavelength: Double) -> Double {
        let scale = wavelength / referenceWavelength
        let sigma = coreFWHM / 2.354_820_045 * scale
        let core = Self.boxGaussian(a, sigma) * Self.boxGaussian(b, sigma)
        let gamma = wingWidth * scale
        // Moffat β = 1.5: I(r) = (1/2πγ²)(1 + r²/γ²)^-1.5. Exact integral along the slice; Simpson's rule across
        // the (one pixel wide) slice.
        // Unrolled: a loop over an array literal of (offset, weight) allocated that array on every call.
        func strip(_ offset: Double, _ weight: Double) -> Double {
            let bb = b + offset
            let c2 = gamma * gamma + bb * bb
            func primitive(_ x: Double) -> Double { x / (c2 * (c2 + x * x).squareRoot()) }
            return weight * gamma / (2 * .pi) * (primitive(a + 0.5) - primitive(a - 0.5))
        }
        var wing = 0.0
        wing += strip(-0.5, 1.0 / 6)
        wing += strip(0.0, 4.0 / 6)
        wing += strip(0.5, 1.0 / 6)
        return (1 - wingFraction) * core + wingFraction * wing
    }

    /// Integral over [x − ½, x + ½] of a unit-area Gaussian of width sigma centred at 0.
    @inline(__always)
    static func boxGaussian(_ x: Double, _ sigma: Double) -> Double {
        let k = 1 / (sigma * 2.0.squareRoot())
        return 0.5 * (erf((x + 0.5) * k) - erf((x - 0.5) * k))
    }
}
