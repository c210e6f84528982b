import Foundation
import Numerics
import Platform

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

    /// Fits the PSF law over `subset`, starting from `psf`. The spectrum's level is profiled out: for each trial law
    /// every column's model is rescaled by its least-squares factor (Σ w t m / Σ w m², over the dithers), so the law
    /// is judged by the profile's shape alone. Holding z fixed instead couples width and amplitude and makes the alternation
    /// crawl (a Moffat's core width and wing index trade off against the flux).
    func fitPSF(_ psf: ChromaticPSF, subset: [Int], offsets: [Double], slopes: [Double]) -> ChromaticPSF {
        let byColumn = Dictionary(grouping: subset) { Int(pixels.column[$0]) }.sorted { $0.key < $1.key }.map(\.value)
        let order = byColumn.flatMap { $0 }
        var running = [0]
        for c in byColumn { running.append(running.last! + c.count) }
        let starts = running
        let rhos = order.map { rho($0, offsets: offsets, slopes: slopes) }
        let lambdas = order.map { pixels.lambda[$0] }
        let w = order.map { weight[$0] }, t = order.map { target[$0] }
        // Each pixel's profile is weighted by its current model amplitude α F z (which carries the spectrum's
        // variation along the column's tilted iso-wavelength line); a free factor per column absorbs its level.
        let scale = order.map { amplitude[$0] }
        let columns = byColumn.count
        let method: Optimizer.Method = psf.shape == .gaussian ? .lbfgs : .bobyqa
        let start = psf.parameters
        let result = Optimizer.minimize(
            method, start: start, lower: psf.lowerBounds, upper: psf.upperBounds,
            initialStep: start.map { max(abs($0) * 0.1, 1e-3) },
            tolerances: .init(relativeX: 1e-6, relativeF: 1e-11, maxEvaluations: 400)
        ) { x, gradient in
            let model = psf.with(parameters: x)
            let withGradient = gradient != nil
            let sums = Parallel.sum(columns, width: 3) { range in
                var loss = 0.0, ga = 0.0, gb = 0.0
                for c in range {
                    var th = 0.0, hh = 0.0, tha = 0.0, thb = 0.0, hha = 0.0, hhb = 0.0
                    for i in starts[c]..<starts[c + 1] {
                        let l = lambdas[i]
                        if withGradient {
                            let s = model.sigma(at: l)
                            let (h0, dh0) = PixelProfile.gaussianWithDerivative(rhos[i], sigma: s)
                            let h = scale[i] * h0, dh = scale[i] * dh0 / (2 * s)
                            th += w[i] * t[i] * h; hh += w[i] * h * h
                            tha += w[i] * t[i] * dh * l * l; thb += w[i] * t[i] * dh
                            hha += 2 * w[i] * h * dh * l * l; hhb += 2 * w[i] * h * dh
                        } else {
                            let h = scale[i] * model.value(rho: rhos[i], lambda: l)
                            th += w[i] * t[i] * h; hh += w[i] * h * h
                        }
                    }
                    guard hh > 0 else { continue }
                    // Σ w t² is constant in θ and left out: loss = −(Σ w t h)² / Σ w h².
                    loss -= th * th / hh
                    if withGradient {
                        ga += -2 * th * tha / hh + th * th * hha / (hh * hh)
                        gb += -2 * th * thb / hh + th * th * hhb / (hh * hh)
                    }
                }
                return [loss, ga, gb]
            }
            if let gradient { gradient[0] = sums[1]; gradient[1] = sums[2] }
            return sums[0]
        }
        return result.isUsable ? psf.with(parameters: result.x) : psf
    }

    /// Fits the offset and tilt correction of `frame` over `subset` (pixels of that frame), starting from the current
    /// ones. The tilt is optimised as the shift it causes half a spectrum away, so both unknowns are in pixels; the
    /// Gaussian uses its analytic gradient (L-BFGS), the Moffat a derivative-free search (BOBYQA).
    func fitOffset(frame: Int, psf: ChromaticPSF, subset: [Int], offset: Double, slope: Double, length: Int) -> (Double, Double) {
        let half = Double(length) / 2
        let base = subset.map { baseRho[$0] }, u = subset.map { along[$0] / half }
        let lambdas = subset.map { pixels.lambda[$0] }
        let w = subset.map { weight[$0] }, t = subset.map { target[$0] }, amp = subset.map { amplitude[$0] }
        let method: Optimizer.Method = psf.shape == .gaussian ? .lbfgs : .bobyqa
        // Offsets are wanted to ~1e-3 px; the tolerance is relative to offsets of a few to tens of pixels.
        let result = Optimizer.minimize(
            method, start: [offset, slope * half], lower: [offset - 1.5, -2], upper: [offset + 1.5, 2],
            initialStep: [0.05, 0.05],
            tolerances: .init(relativeX: 1e-6, relativeF: 1e-12, maxEvaluations: 200)
        ) { x, gradient in
            let shift = x[0], tilt = x[1]
            let withGradient = gradient != nil
            let sums = Parallel.sum(base.count, width: 3) { range in
                var loss = 0.0, g0 = 0.0, g1 = 0.0
                for i in range {
                    let r0 = base[i] - shift - tilt * u[i]
                    if withGradient {
                        let (h, dh) = PixelProfile.gaussianWithRhoDerivative(r0, sigma: psf.sigma(at: lambdas[i]))
                        let r = t[i] - amp[i] * h
                        loss += w[i] * r * r
                        let common = 2 * w[i] * r * amp[i] * dh
                        g0 += common
                        g1 += common * u[i]
                    } else {
                        let r = t[i] - amp[i] * psf.value(rho: r0, lambda: lambdas[i])
                        loss += w[i] * r * r
                    }
                }
                return [loss, g0, g1]
            }
            if let gradient { gradient[0] = sums[1]; gradient[1] = sums[2] }
            return sums[0]
        }
        return result.isUsable ? (result.x[0], result.x[1] / half) : (offset, slope)
    }
}
