import Foundation

/// Cross-dispersion profiles of a point source on a row of pixels: each value is the profile *integrated over the
/// pixel* [ρ − ½, ρ + ½], normalised so that the sum over all pixels is 1 whatever the sub-pixel phase.
///
/// Integrating instead of sampling matters for undersampled spectra (NIRSpec below ~3 µm): a Gaussian of
/// σ = 0.5 px sampled at pixel centres sums to 1 ± 1.4 % depending on phase, which would print the sampling phase
/// onto an extracted spectrum. The simulator draws its images with these functions and the extraction fits them.
public enum PixelProfile {
    /// erf(x) and e^(−x²) together (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7): the exponential is
    /// the Gaussian itself, so the derivatives below come for free, and one `exp` replaces `erf` + `exp`. The
    /// pixel values still sum to exactly 1 over a column (the edges telescope), whatever the approximation error.
    @usableFromInline @inline(__always)
    static func erfAndGaussian(_ x: Double) -> (erf: Double, gaussian: Double) {
        let ax = abs(x)
        let t = 1 / (1 + 0.3275911 * ax)
        let g = exp(-ax * ax)
        let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
        let e = 1 - poly * g
        return (x < 0 ? -e : e, g)
    }

    /// A Gaussian of width `sigma` (pixels) integrated over the pixel centred `rho` pixels from the source.
    @inlinable
    public static func gaussian(_ rho: Double, sigma: Double) -> Double {
        let s = 1 / (sigma * 2.0.squareRoot())
        return 0.5 * (erfAndGaussian((rho + 0.5) * s).erf - erfAndGaussian((rho - 0.5) * s).erf)
    }

    /// The Gaussian pixel value and its derivative with respect to `sigma`.
    @inlinable
    public static func gaussianWithDerivative(_ rho: Double, sigma: Double) -> (value: Double, dSigma: Double) {
        let s = 1 / (sigma * 2.0.squareRoot())
        let hi = rho + 0.5, lo = rho - 0.5
        let eh = erfAndGaussian(hi * s), el = erfAndGaussian(lo * s)
        let norm = 1 / (2 * Double.pi).squareRoot()
        return (0.5 * (eh.erf - el.erf), -norm * (hi * eh.gaussian - lo * el.gaussian) / (sigma * sigma))
    }

    /// The Gaussian pixel value and its derivative with respect to the distance `rho`.
    @inlinable
    public static func gaussianWithRhoDerivative(_ rho: Double, sigma: Double) -> (value: Double, dRho: Double) {
        let s = 1 / (sigma * 2.0.squareRoot())
        let eh = erfAndGaussian((rho + 0.5) * s), el = erfAndGaussian((rho - 0.5) * s)
        return (0.5 * (eh.erf - el.erf), s / Double.pi.squareRoot() * (eh.gaussian - el.gaussian))
    }

    /// Normalising constant of the 1-D Moffat profile (1 + x²/σ²)^−β: Γ(β) / (σ √π Γ(β − ½)), exact (β > ½).
    public static func moffatNormalisation(sigma: Double, beta: Double) -> Double {
        exp(lgamma(beta) - lgamma(beta - 0.5)) / (sigma * Double.pi.squareRoot())
    }

    /// Gauss–Legendre nodes and weights on [−½, ½] (8 points: exact for polynomials of degree 15).
    private static let nodes: [(x: Double, w: Double)] = {
        let t: [(Double, Double)] = [
            (0.1834346424956498, 0.3626837833783620), (0.5255324099163290, 0.3137066458778873),
            (0.7966664774136267, 0.2223810344533745), (0.9602898564975363, 0.1012285362903763),
        ]
        return t.flatMap { [(0.5 * $0.0, 0.5 * $0.1), (-0.5 * $0.0, 0.5 * $0.1)] }
    }()

    /// A Moffat profile of core width `sigma` and wing index `beta`, integrated over the pixel by 8-point
    /// Gauss–Legendre quadrature, on ⌈1/σ⌉ sub-intervals for pixels within 3σ + 1 of the core (a narrow core is
    /// not polynomial over a whole pixel); `normalisation` is `moffatNormalisation(sigma:beta:)`, passed in so that
    /// loops over many pixels compute it once.
    @inline(__always)
    public static func moffat(_ rho: Double, sigma: Double, beta: Double, normalisation: Double) -> Double {
        let inv = 1 / (sigma * sigma)
        let pieces = abs(rho) < 1 + 3 * sigma ? min(8, Int((1 / sigma).rounded(.up))) : 1
        let width = 1 / Double(pieces)
        var sum = 0.0
        for piece in 0..<pieces {
            let centre = rho - 0.5 + (Double(piece) + 0.5) * width
            for node in nodes {
                let x = centre + node.x * width
                sum += node.w * width * pow(1 + x * x * inv, -beta)
            }
        }
        return normalisation * sum
    }
}
