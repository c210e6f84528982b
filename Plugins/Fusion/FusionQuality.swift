import Foundation

/// The consistency checks of the paper's Appendix D: how well the fused cube, seen through each filter's
/// forward model, matches the NIRCam image (PSNR, SSIM), and how close its mean spectrum is to NIRSpec's.
public enum FusionQuality {
    /// 10 log10(max(Y)² / MSE(Y, X)) in dB (eq. 10).
    public static func psnr(reference y: [Double], estimate x: [Double]) -> Double {
        var mse = 0.0
        for i in 0..<y.count { mse += (y[i] - x[i]) * (y[i] - x[i]) }
        mse /= Double(y.count)
        let peak = y.max() ?? 0
        return mse > 0 ? 10 * log10(peak * peak / mse) : .infinity
    }

    /// Mean structural similarity over all 7×7 windows (Wang et al. 2004; eq. 11), with c1 = (0.01 R)²,
    /// c2 = (0.03 R)² for the reference's range R, and sample covariances.
    public static func ssim(reference y: [Double], estimate x: [Double], width: Int, height: Int, window: Int = 7) -> Double {
        let range = (y.max() ?? 0) - (y.min() ?? 0)
        let c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range)
        guard width >= window, height >= window else { return .nan }
        let count = Double(window * window)
        var total = 0.0, windows = 0
        for y0 in 0...(height - window) {
            for x0 in 0...(width - window) {
                var sy = 0.0, sx = 0.0, syy = 0.0, sxx = 0.0, sxy = 0.0
                for j in y0..<(y0 + window) {
                    for i in x0..<(x0 + window) {
                        let a = y[j * width + i], b = x[j * width + i]
                        sy += a; sx += b; syy += a * a; sxx += b * b; sxy += a * b
                    }
                }
                let my = sy / count, mx = sx / count
                let vy = (syy - count * my * my) / (count - 1), vx = (sxx - count * mx * mx) / (count - 1)
                let cxy = (sxy - count * mx * my) / (count - 1)
                total += (2 * my * mx + c1) * (2 * cxy + c2) / ((my * my + mx * mx + c1) * (vy + vx + c2))
                windows += 1
            }
        }
        return total / Double(windows)
    }

    /// Per channel, (mean_xy X − mean_xy Y_h) / mean_xy Y_h.
    public static func meanSpectrumError(fused: [Float], finePlane: Int, cube: [Double], plane: Int, planes: Int) -> (
        nirspec: [Double], fused: [Double], relative: [Double]
    ) {
        var a = [Double](repeating: 0, count: planes), b = a, r = a
        for l in 0..<planes {
            var sy = 0.0, sx = 0.0
            for p in 0..<plane { sy += cube[l * plane + p] }
            for p in 0..<finePlane { sx += Double(fused[l * finePlane + p]) }
            a[l] = sy / Double(plane)
            b[l] = sx / Double(finePlane)
            r[l] = a[l] != 0 ? (b[l] - a[l]) / a[l] : 0
        }
        return (a, b, r)
    }
}
