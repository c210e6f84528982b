import Foundation

/// The chromatic cross-dispersion PSF of a slit spectrograph: a Gaussian or a Moffat whose width follows
/// σ²(λ) = aλ² + b (diffraction grows with λ; b is the floor from optics and jitter), integrated over pixels
/// (see `PixelProfile`, so b does not include the pixel). The simulator draws with it and the extraction fits it.
public struct ChromaticProfile: Sendable, Equatable {
    public enum Shape: String, Sendable, CaseIterable {
        case gaussian, moffat
    }

    public var shape: Shape
    /// Chromatic term a (px²/µm²).
    public var a: Double
    /// Width floor b (px²).
    public var b: Double
    /// Moffat wing index β (unused by the Gaussian).
    public var beta: Double

    public init(shape: Shape, a: Double, b: Double, beta: Double = 2.5) {
        self.shape = shape
        self.a = a
        self.b = b
        self.beta = beta
    }

    /// σ(λ) in pixels (λ in µm).
    @inlinable
    public func sigma(at lambda: Double) -> Double { max(a * lambda * lambda + b, 1e-6).squareRoot() }

    /// Fraction of the source's flux in the pixel centred `rho` pixels from the trace, at wavelength `lambda`.
    @inlinable
    public func value(rho: Double, lambda: Double) -> Double {
        let s = sigma(at: lambda)
        switch shape {
        case .gaussian: return PixelProfile.gaussian(rho, sigma: s)
        case .moffat:
            return PixelProfile.moffat(rho, sigma: s, beta: beta, normalisation: PixelProfile.moffatNormalisation(sigma: s, beta: beta))
        }
    }
}
