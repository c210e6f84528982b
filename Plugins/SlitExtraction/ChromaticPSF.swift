import Numerics

/// The chromatic cross-slit PSF the fit uses: a Gaussian or a Moffat of width σ²(λ) = aλ² + b, integrated over
/// pixels (so b is the optical floor, not the pixel; see `PixelProfile`). Parameters are packed as [a, b] or
/// [a, b, β] for the optimiser.
public struct ChromaticPSF: Sendable, Equatable {
    public enum Shape: String, Sendable, CaseIterable {
        case gaussian, moffat
    }

    public var shape: Shape
    public var a: Double
    public var b: Double
    public var beta: Double

    public init(shape: Shape, a: Double, b: Double, beta: Double = 2.5) {
        self.shape = shape
        self.a = a
        self.b = b
        self.beta = beta
    }

    /// σ(λ) in pixels.
    public func sigma(at lambda: Double) -> Double { max(a * lambda * lambda + b, 1e-6).squareRoot() }

    public var parameters: [Double] { shape == .gaussian ? [a, b] : [a, b, beta] }

    public func with(parameters p: UnsafeBufferPointer<Double>) -> ChromaticPSF {
        ChromaticPSF(shape: shape, a: p[0], b: p[1], beta: shape == .moffat ? p[2] : beta)
    }

    public func with(parameters p: [Double]) -> ChromaticPSF { p.withUnsafeBufferPointer { with(parameters: $0) } }

    /// Bounds for the optimiser: a ≥ 0, b > 0 (a floor below 0.03 px is unmeasurable on pixels), 1.05 ≤ β ≤ 10.
    public var lowerBounds: [Double] { shape == .gaussian ? [0, 1e-3] : [0, 1e-3, 1.05] }
    public var upperBounds: [Double] { shape == .gaussian ? [1, 25] : [1, 25, 10] }

    /// Fraction of flux in the pixel at distance ρ from the trace, at wavelength λ.
    @inline(__always)
    public func value(rho: Double, lambda: Double) -> Double {
        let s = sigma(at: lambda)
        switch shape {
        case .gaussian: return PixelProfile.gaussian(rho, sigma: s)
        case .moffat: return PixelProfile.moffat(rho, sigma: s, beta: beta, normalisation: PixelProfile.moffatNormalisation(sigma: s, beta: beta))
        }
    }

    /// FWHM in pixels at λ (before pixel integration).
    public func fwhm(at lambda: Double) -> Double {
        let s = sigma(at: lambda)
        switch shape {
        case .gaussian: return 2 * (2 * log(2.0)).squareRoot() * s
        case .moffat: return 2 * s * (pow(2, 1 / beta) - 1).squareRoot()
        }
    }
}

import Foundation
