import Foundation

/// Cross-dispersion profiles of a point source on a row of pixels: each value is the profile *integrated over the
/// pixel* [ρ − ½, ρ + ½], normalised so that the sum over all pixels is 1 whatever the sub-pixel phase.
///
/// Integrating instead of sampling matters for undersampled spectra (NIRSpec below ~3 µm): a Gaussian of
/// σ = 0.5 px sampled at pixel centres sums to 1 ± 1.4 % depending on phase, which would print the sampling phase
/// onto an extracted spectrum. The simulator draws its images with these functions and the extraction fits them.
public enum PixelProfile {
    /// A Gaussian of width `sigma` (pixels) integrated over the pixel centred `rho` pixels from the source.
    @inline(__always)
    public static func gaussian(_ rho: Double, sigma: Double) -> Double {
        let s = 1 / (sigma * 2.0.squareRoot())
        return 0.5 * (erf((rho + 0.5) * s) - erf((rho - 0.5) * s))
    }

    /// The Gaussian pixel value and its derivative with respect to `sigma`.
    @inline(__always)
    public static func gaussianWithDerivative(_ rho: Double, sigma: Double) -> (value: Double, dSigma: Double) {
        let s = 1 / (sigma * 2.0.squareRoot())
        let hi = rho + 0.5, lo = rho - 0.5
        let value = 0.5 * (erf(hi * s) - erf(lo * s))
        let norm = 1 / (2 * Double.pi).squareRoot()
        let phiHi = norm * exp(-0.5 * hi * hi / (sigma * sigma))
        let phiLo = norm * exp(-0.5 * lo * lo / (sigma * sigma))
        return (value, -(hi * phiHi - lo * phiLo) / (sigma * sigma))
    }

    /// The Gaussian pixel value and its derivative with respect to the distance `rho`.
    @inline(__always)
    public static func gaussianWithRhoDerivative(_ rho: Double, sigma: Double) -> (value: Double, dRho: Double) {
        let s = 1 / (sigma * 2.0.squareRoot())
        let hi = (rho + 0.5) * s, lo = (rho - 0.5) * s
        let value = 0.5 * (erf(hi) - erf(lo))
        return (value, s / Double.pi.squareRoot() * (exp(-hi * hi) - exp(-lo * lo)))
    }

    /// Normalising constant of the 1-D Moffat profile (1 + x²/σ²)^−β: Γ(β) / (σ √π Γ(β − ½)), exact (β > ½).
    public static func moffatNormalisation(sigma: Double, beta: Double) -> Double {
        exp(lgamma(beta) - lgamma(beta - 0.5)) / (sigma * Double.pi.squareRoot())
    }

    /// Gauss–Legendre nodes and weights on [−½, ½] (8 points: exact for polynomials of degree 15).
    private static let nodes: [(x: Double, w: Double)] = {
        let t: [(Double, Double)] = [(0.1834346424956498, 0.3626837833783620), (0.5255324099163290, 0.3137066458778873),
                                     (0.7966664774136267, 0.2223810344533745), (0.9602898564975363, 0.1012285362903763)]
        return t.flatMap { [(0.5 * $0.0, 0.5 * $0.1), (-0.5 * $0.0, 0.5 * $0.1)] }
    }()

    /// A Moffat profile of core width `sigma` and wing index `beta`, integrated over the pixel by 8-point
    /// Gauss–Legendre quadrature; `normalisation` is `moffatNormalisation(sigma:beta:)`, passed in so that
    /// loops over many pixels compute it once.
    @inline(__always)
    public static func moffat(_ rho: Double, sigma: Double, beta: Double, normalisation: Double) -> Double {
        let inv = 1 / (sigma * sigma)
        var sum = 0.0
        for node in nodes {
            let x = rho + node.x
            sum += node.w * pow(1 + x * x * inv, -beta)
        }
        return normalisation * sum
    }
}
