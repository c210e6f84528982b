import Foundation
import Numerics

/// The linear half of the fit: given the PSF value of every pixel, the spectrum z and a background that is
/// linear across the slit in every detector column (shared by the dithers: the sky stays on the detector while
/// the source nods) minimise Σ w (d − α h F z − b)² + μ ‖D z‖², D the first difference. The background is
/// eliminated column by column (a Schur complement that keeps the system banded), so the solve is exact and
/// costs O(n k²). The same factors give the posterior variances of z and the trace of the influence matrix
/// that generalised cross-validation needs.
struct SpectrumSolver: Sendable {
    let gridCount: Int
    let bandwidth: Int
    /// Normal matrix of z after eliminating the background (without the smoothness term) and its right-hand side.
    private(set) var schur: BandedSymmetricSystem
    private(set) var rhs: [Double]
    /// Per column: first z index touched, the z–background couplings (span × 2), inverse of the 2×2 background
    /// block, and the background right-hand side.
    private var columnFirst: [Int], columnSpan: [Int], coupling: [[Double]], inverseBlock: [SIMD4<Double>], columnRHS: [SIMD2<Double>]
    private let backgroundColumns: Int
    /// Σ w d² and the number of pixels, for residual sums.
    let weightedDataSquare: Double
    let pixelCount: Int

    /// One solution for a given μ.
    struct Solution: Sendable {
        var z: [Double]
        /// Background per column: constant and slope across the slit (scaled −½…½).
        var background: [SIMD2<Double>]
        var variance: [Double]
        var mu: Double
        var residualSquare: Double
        var effectiveParameters: Double
    }

    /// Accumulates the normal equations from the pixels in use (weight > 0 in `weight`), the model factor
    /// `gain` = α h per pixel, over `columns` detector columns.
    init(pixels: PixelTable, weight: [Double], gain: [Double], gridCount n: Int, columns: Int, fitBackground: Bool) {
        gridCount = n
        var first = [Int](repeating: Int.max, count: columns), last = [Int](repeating: -1, count: columns)
        for p in 0..<pixels.count where weight[p] > 0 {
            let k = Int(pixels.column[p])
            first[k] = min(first[k], pixels.tap(p, 0, gridCount: n))
            last[k] = max(last[k], pixels.tap(p, 3, gridCount: n))
        }
        var kd = 3
        if fitBackground { for k in 0..<columns where last[k] >= 0 { kd = max(kd, last[k] - first[k]) } }
        bandwidth = kd
        var system = BandedSymmetricSystem(size: n, bandwidth: kd)
        var rz = [Double](repeating: 0, count: n)
        let span = (0..<columns).map { last[$0] >= 0 ? last[$0] - first[$0] + 1 : 0 }
        var azb = span.map { [Double](repeating: 0, count: $0 * 2) }
        var abb = [SIMD4<Double>](repeating: .zero, count: columns), rb = [SIMD2<Double>](repeating: .zero, count: columns)
        var dwd = 0.0, used = 0
        for p in 0..<pixels.count where weight[p] > 0 {
            let w = weight[p], d = pixels.data[p], g = gain[p]
            dwd += w * d * d
            used += 1
            var idx = SIMD4<Int>(), c = SIMD4<Double>()
            for t in 0..<4 { idx[t] = pixels.tap(p, t, gridCount: n); c[t] = g * pixels.taps[p][t] }
            for t in 0..<4 {
                rz[idx[t]] += w * c[t] * d
                for s in 0...t { system.add(idx[t], idx[s], w * c[t] * c[s]) }
            }
            guard fitBackground else { continue }
            let k = Int(pixels.column[p]), y = pixels.across[p]
            abb[k] += SIMD4(w, w * y, w * y, w * y * y)
            rb[k] += SIMD2(w * d, w * d * y)
            for t in 0..<4 {
                let local = (idx[t] - first[k]) * 2
                azb[k][local] += w * c[t]
                azb[k][local + 1] += w * c[t] * y
            }
        }
        var inverse = [SIMD4<Double>](repeating: .zero, count: columns)
        var active = 0
        if fitBackground {
            for k in 0..<columns where span[k] > 0 {
                // A small ridge keeps columns with a single usable row (slope undetermined) solvable.
                let m = abb[k], ridge = 1e-9 * (m[0] + m[3]) + 1e-300
                let a = m[0] + ridge, b = m[1], d = m[3] + ridge
                let det = a * d - b * b
                guard det > 0 else { continue }
                inverse[k] = SIMD4(d / det, -b / det, -b / det, a / det)
                active += 1
                let s = span[k], f = first[k], inv = inverse[k]
                for r in 0..<s {
                    let ur = SIMD2(azb[k][2 * r], azb[k][2 * r + 1])
                    let vr = SIMD2(inv[0] * ur[0] + inv[1] * ur[1], inv[2] * ur[0] + inv[3] * ur[1])
                    rz[f + r] -= vr[0] * rb[k][0] + vr[1] * rb[k][1]
                    for q in 0...r {
                        let uq = SIMD2(azb[k][2 * q], azb[k][2 * q + 1])
                        system.add(f + r, f + q, -(vr[0] * uq[0] + vr[1] * uq[1]))
                    }
                }
            }
        }
        schur = system
        rhs = rz
        columnFirst = first
        columnSpan = span
        coupling = azb
        inverseBlock = inverse
        columnRHS = rb
        backgroundColumns = active
        weightedDataSquare = dwd
        pixelCount = used
    }

    /// Solves for smoothness weight `mu`; nil when the system is singular at that μ (no data and no smoothing).
    func solve(mu: Double, withVariance: Bool = true) -> Solution? {
        var system = schur
        let n = gridCount
        var scale = 0.0
        for i in 0..<n { scale = max(scale, system.entry(i, i)) }
        for i in 0..<n {
            // A vanishing ridge (1e-12 of the largest diagonal) guards grid points no pixel touches.
            system.add(i, i, 1e-12 * scale + mu * (i == 0 || i == n - 1 ? 1 : 2))
            if i > 0 { system.add(i, i - 1, -mu) }
        }
        guard let factor = try? system.factorised() else { return nil }
        let z = factor.solve(rhs)
        var background = [SIMD2<Double>](repeating: .zero, count: columnSpan.count)
        for k in 0..<columnSpan.count where columnSpan[k] > 0 && inverseBlock[k] != .zero {
            var r = columnRHS[k]
            for q in 0..<columnSpan[k] {
                r[0] -= coupling[k][2 * q] * z[columnFirst[k] + q]
                r[1] -= coupling[k][2 * q + 1] * z[columnFirst[k] + q]
            }
            let inv = inverseBlock[k]
            background[k] = SIMD2(inv[0] * r[0] + inv[1] * r[1], inv[2] * r[0] + inv[3] * r[1])
        }
        // With A x = c, the weighted residual is dᵀWd − xᵀc − μ‖Dz‖².
        var roughness = 0.0
        for i in 1..<n { roughness += (z[i] - z[i - 1]) * (z[i] - z[i - 1]) }
        let residual = max(0, weightedDataSquare - fittedProjection(z: z, background: background) - mu * roughness)
        var variance = [Double](repeating: .nan, count: n)
        var traceTerm = 0.0
        if withVariance {
            let inverse = factor.selectedInverse()
            let w = system.bandwidth + 1, k = system.bandwidth
            for i in 0..<n {
                variance[i] = inverse[i * w + k]
                let dd = i == 0 || i == n - 1 ? 1.0 : 2.0
                traceTerm += dd * inverse[i * w + k]
                if i > 0 { traceTerm -= 2 * inverse[i * w + k - 1] }
            }
        }
        let parameters = Double(n + 2 * backgroundColumns) - mu * traceTerm
        return Solution(z: z, background: background, variance: variance, mu: mu, residualSquare: residual, effectiveParameters: parameters)
    }

    /// xᵀc of the full (z, background) system: zᵀ c_z + Σ bᵀ c_b, with c_z the rhs before elimination.
    private func fittedProjection(z: [Double], background: [SIMD2<Double>]) -> Double {
        var s = 0.0
        for i in 0..<gridCount { s += z[i] * rhs[i] }
        for k in 0..<columnSpan.count where columnSpan[k] > 0 {
            // rhs = c_z − Σ A_zb A_bb⁻¹ c_b; add back zᵀ A_zb A_bb⁻¹ c_b and add bᵀ c_b.
            let inv = inverseBlock[k], cb = columnRHS[k]
            let v = SIMD2(inv[0] * cb[0] + inv[1] * cb[1], inv[2] * cb[0] + inv[3] * cb[1])
            for q in 0..<columnSpan[k] {
                s += z[columnFirst[k] + q] * (coupling[k][2 * q] * v[0] + coupling[k][2 * q + 1] * v[1])
            }
            s += background[k][0] * cb[0] + background[k][1] * cb[1]
        }
        return s
    }

    /// A scale for μ: the mean diagonal of the data term.
    var typicalCurvature: Double {
        var s = 0.0
        for i in 0..<gridCount { s += schur.entry(i, i) }
        return max(s / Double(gridCount), 1e-300)
    }
}
