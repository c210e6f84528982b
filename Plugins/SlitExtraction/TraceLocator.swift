import Foundation
import Numerics

/// A first estimate of where the source lies on one dither: a quadratic trace centre c(k) across the slit as a
/// function of the dispersion column, and a rough PSF width. The joint fit then refines a per-dither offset.
public struct TraceEstimate: Sendable, Equatable {
    /// Polynomial coefficients of c(k) in powers of (k − reference).
    public var coefficients: [Double]
    public var reference: Double
    /// Typical Gaussian σ of the profile (px), from second moments.
    public var sigma: Double

    public func centre(at k: Double) -> Double {
        let u = k - reference
        var value = 0.0, power = 1.0
        for c in coefficients { value += c * power; power *= u }
        return value
    }
}

/// Finds the trace in blocks of columns: the median profile of each block, its peak and centroid, then a
/// robust (iteratively clipped) quadratic fit of the centroids. Refuses frames where no source stands out
/// or where it sits on the edge of the slit.
public enum TraceLocator {
    /// Rows a slit needs: the level beside the source is the median of a column block's profile, so more than half
    /// the rows must lie off the ~4 rows of a source's core (±3σ, σ ≈ 0.7 px at NIRSpec's and MIRI's shortest
    /// wavelengths).
    static let minimumRows = 9

    public static func locate(_ frame: SlitFrame) throws(SlitExtractionError) -> TraceEstimate {
        let length = frame.length, cross = frame.cross
        let blockWidth = max(8, length / 24)
        var xs: [Double] = [], ys: [Double] = [], sigmas: [Double] = []
        var blocks = 0
        var column: [Double] = [], profile = [Double](repeating: 0, count: cross)
        var k0 = 0
        while k0 < length {
            let k1 = min(length, k0 + blockWidth)
            blocks += 1
            var rowsWithData = 0
            for j in 0..<cross {
                column.removeAll(keepingCapacity: true)
                for k in k0..<k1 where frame.weight[j * length + k] > 0 { column.append(frame.data[j * length + k]) }
                profile[j] = column.isEmpty ? .nan : RobustStatistics.medianInPlace(&column)
                if !column.isEmpty { rowsWithData += 1 }
            }
            defer { k0 = k1 }
            guard rowsWithData >= 5, let level = RobustStatistics.median(profile), let noise = RobustStatistics.madSigma(profile) else {
                continue
            }
            var peak = -1
            for j in 0..<cross where profile[j].isFinite && (peak < 0 || profile[j] > profile[peak]) { peak = j }
            guard peak >= 0, profile[peak] - level > 5 * max(noise, 1e-30) else { continue }
            // Centroid in a window centred on the current estimate (edge pixels by their overlap), iterated from
            // the peak: a window fixed on the peak pixel would bias the centre by the wings' asymmetric truncation.
            var mean = Double(peak), s0 = 0.0, s2 = 0.0
            for _ in 0..<6 {
                var m0 = 0.0, m1 = 0.0, m2 = 0.0
                for j in max(0, Int((mean - 4.5).rounded(.down)))...min(cross - 1, Int((mean + 4.5).rounded(.up))) where profile[j].isFinite
                {
                    let overlap = min(Double(j) + 0.5, mean + 4) - max(Double(j) - 0.5, mean - 4)
                    guard overlap > 0 else { continue }
                    let v = min(1, overlap) * max(0, profile[j] - level)
                    m0 += v; m1 += v * Double(j); m2 += v * Double(j * j)
                }
                guard m0 > 0 else { break }
                mean = m1 / m0
                s0 = m0; s2 = m2 / m0
            }
            guard s0 > 0 else { continue }
            xs.append(Double(k0 + k1 - 1) / 2)
            ys.append(mean)
            sigmas.append(max(0.3, max(0, s2 - mean * mean).squareRoot()))
        }
        guard xs.count >= 3, Double(xs.count) >= 0.3 * Double(blocks) else {
            throw SlitExtractionError(
                "\(frame.name): no source found on the slit (a trace stands out in \(xs.count) of \(blocks) column blocks)")
        }
        let reference = Double(length - 1) / 2
        let coefficients = robustPolynomial(xs.map { $0 - reference }, ys, degree: xs.count >= 8 ? 2 : 1)
        let estimate = TraceEstimate(coefficients: coefficients, reference: reference, sigma: RobustStatistics.median(sigmas) ?? 1)
        let lo = estimate.centre(at: 0), mid = estimate.centre(at: reference), hi = estimate.centre(at: Double(length - 1))
        for c in [lo, mid, hi] where c < 0.5 || c > Double(cross) - 1.5 {
            throw SlitExtractionError(
                "\(frame.name): the source is off the slit or on its edge (trace at row \(String(format: "%.1f", c)) of 0…\(cross - 1))")
        }
        return estimate
    }

    /// Least-squares polynomial through (x, y), refitted without points more than 3 robust sigmas (at least
    /// 0.3 px) away, until nothing changes.
    static func robustPolynomial(_ x: [Double], _ y: [Double], degree: Int) -> [Double] {
        var keep = [Bool](repeating: true, count: x.count)
        var coefficients = [Double](repeating: 0, count: degree + 1)
        for _ in 0..<5 {
            let used = (0..<x.count).filter { keep[$0] }
            guard used.count > degree else { break }
            let p = degree + 1
            var a = [Double](repeating: 0, count: used.count * p), b = used.map { y[$0] }
            for (r, i) in used.enumerated() { for c in 0..<p { a[r * p + c] = pow(x[i], Double(c)) } }
            do {
                try a.withUnsafeMutableBufferPointer { ap throws(LinearAlgebraError) in
                    try b.withUnsafeMutableBufferPointer { bp throws(LinearAlgebraError) in
                        try LinearAlgebra.leastSquares(ap.baseAddress!, bp.baseAddress!, rows: used.count, columns: p)
                    }
                }
            } catch { break }
            coefficients = Array(b.prefix(p))
            let residuals = (0..<x.count).map { i -> Double in
                var fit = 0.0
                for c in 0..<p { fit += coefficients[c] * pow(x[i], Double(c)) }
                return y[i] - fit
            }
            let scale = max(0.3, 3 * (RobustStatistics.madSigma(used.map { residuals[$0] }) ?? 0))
            let next = residuals.map { abs($0) <= scale }
            if next == keep { break }
            keep = next
        }
        return coefficients
    }
}
