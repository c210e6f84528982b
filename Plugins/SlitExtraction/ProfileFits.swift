import Foundation
import Numerics

/// The nonlinear half of the fit, with the spectrum held fixed: the PSF law (NLopt, gradient-based for the
/// Gaussian, derivative-free for the Moffat) and each dither's trace offset and tilt correction (derivative-free).
/// Both minimise the weighted squared residual over pixels near the trace; pixels far from it do not depend on
/// these parameters.
struct ProfileFits {
    let pixels: PixelTable
    let weight: [Double]
    /// Data minus background, and the interpolated spectrum times the dither's scale, per pixel.
    let target: [Double]
    let amplitude: [Double]
    /// Cross-slit distance to the initial trace, and dispersion distance to the reference column, per pixel.
    let baseRho: [Double]
    let along: [Double]

    /// Indices of usable pixels within `window` px of the current trace, optionally of one frame.
    func nearTrace(offsets: [Double], slopes: [Double], window: Double, frame: Int? = nil) -> [Int] {
        (0..<pixels.count).filter { p in
            guard weight[p] > 0 else { return false }
            let f = Int(pixels.frame[p])
            if let frame, f != frame { return false }
            return abs(baseRho[p] - offsets[f] - slopes[f] * along[p]) <= window
        }
    }

    func rho(_ p: Int, offsets: [Double], slopes: [Double]) -> Double {
        let f = Int(pixels.frame[p])
        return baseRho[p] - offsets[f] - slopes[f] * along[p]
    }

    /// Fits the PSF law over `subset`, starting from `psf`.
    func fitPSF(_ psf: ChromaticPSF, subset: [Int], offsets: [Double], slopes: [Double]) -> ChromaticPSF {
        let rhos = subset.map { rho($0, offsets: offsets, slopes: slopes) }
        let lambdas = subset.map { pixels.lambda[$0] }
        let w = subset.map { weight[$0] }, t = subset.map { target[$0] }, amp = subset.map { amplitude[$0] }
        let method: Optimizer.Method = psf.shape == .gaussian ? .lbfgs : .bobyqa
        let start = psf.parameters
        let result = Optimizer.minimize(method, start: start, lower: psf.lowerBounds, upper: psf.upperBounds,
                                        initialStep: start.map { max(abs($0) * 0.1, 1e-3) },
                                        tolerances: .init(relativeX: 1e-7, relativeF: 1e-12, maxEvaluations: 300)) { x, gradient in
            let model = psf.with(parameters: x)
            var loss = 0.0, ga = 0.0, gb = 0.0
            for i in 0..<rhos.count {
                let l = lambdas[i]
                if let _ = gradient {
                    let s = model.sigma(at: l)
                    let (h, dh) = PixelProfile.gaussianWithDerivative(rhos[i], sigma: s)
                    let r = t[i] - amp[i] * h
                    loss += w[i] * r * r
                    let common = -2 * w[i] * r * amp[i] * dh / (2 * s)
                    ga += common * l * l
                    gb += common
                } else {
                    let r = t[i] - amp[i] * model.value(rho: rhos[i], lambda: l)
                    loss += w[i] * r * r
                }
            }
            if let gradient { gradient[0] = ga; gradient[1] = gb }
            return loss
        }
        return result.code > 0 ? psf.with(parameters: result.x) : psf
    }

    /// Fits the offset and tilt correction of `frame` over `subset` (pixels of that frame), starting from the current ones.
    func fitOffset(frame: Int, psf: ChromaticPSF, subset: [Int], offset: Double, slope: Double, length: Int) -> (Double, Double) {
        let base = subset.map { baseRho[$0] }, u = subset.map { along[$0] }
        let lambdas = subset.map { pixels.lambda[$0] }
        let w = subset.map { weight[$0] }, t = subset.map { target[$0] }, amp = subset.map { amplitude[$0] }
        let slopeBound = 2 / Double(length)
        let result = Optimizer.minimize(.bobyqa, start: [offset, slope], lower: [offset - 1.5, -slopeBound],
                                        upper: [offset + 1.5, slopeBound], initialStep: [0.05, 0.05 / Double(length)],
                                        tolerances: .init(relativeX: 1e-8, relativeF: 1e-13, maxEvaluations: 200)) { x, _ in
            var loss = 0.0
            for i in 0..<base.count {
                let r = t[i] - amp[i] * psf.value(rho: base[i] - x[0] - x[1] * u[i], lambda: lambdas[i])
                loss += w[i] * r * r
            }
            return loss
        }
        return result.code > 0 ? (result.x[0], result.x[1]) : (offset, slope)
    }
}
