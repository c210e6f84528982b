import Numerics

/// The chromatic cross-dispersion PSF of a slit spectrograph: a Gaussian or a Moffat whose width follows
/// σ²(λ) = aλ² + b (diffraction grows with λ; b is the floor from optics and jitter), integrated over pixels.
public struct SlitPSFLaw: Sendable, Equatable {
    public enum Shape: String, Sendable, Equatable, CaseIterable {
        case gaussian, moffat
    }

    public var shape: Shape
    /// Chromatic term a (px²/µm²).
    public var a: Double
    /// Width floor b (px²).
    public var b: Double
    /// Moffat wing index β (unused for the Gaussian).
    public var beta: Double

    public init(shape: Shape, a: Double, b: Double, beta: Double = 2.5) {
        self.shape = shape
        self.a = a
        self.b = b
        self.beta = beta
    }

    /// Width σ in pixels at `wavelength` µm.
    public func sigma(at wavelength: Double) -> Double { (a * wavelength * wavelength + b).squareRoot() }

    /// Fraction of the source's flux that falls in the pixel centred `rho` pixels from the source, at `wavelength`.
    public func pixelFraction(rho: Double, wavelength: Double) -> Double {
        let s = sigma(at: wavelength)
        switch shape {
        case .gaussian: return PixelProfile.gaussian(rho, sigma: s)
        case .moffat:
            return PixelProfile.moffat(rho, sigma: s, beta: beta, normalisation: PixelProfile.moffatNormalisation(sigma: s, beta: beta))
        }
    }
}
