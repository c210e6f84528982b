/// A symmetric positive-definite banded matrix, factorised as L D Lᵀ (L unit lower triangular), with the
/// solve and the *selected inverse* (the entries of A⁻¹ inside the band, Takahashi's recurrence).
///
/// Regularised least-squares problems on a 1-D grid (a spectrum with smoothness) have banded normal equations;
/// the selected inverse gives the posterior variances and the trace terms of generalised cross-validation in
/// O(n·k²) instead of O(n²·k) for full columns of the inverse.
public struct BandedSymmetricSystem: Sendable {
    public let size: Int
    /// Number of sub-diagonals.
    public let bandwidth: Int
    /// Lower band, row-major: entry (i, j) with i − k ≤ j ≤ i at `band[i * (k + 1) + (j − i + k)]`.
    public var band: [Double]

    public init(size: Int, bandwidth: Int) {
        self.size = size
        self.bandwidth = bandwidth
        band = [Double](repeating: 0, count: size * (bandwidth + 1))
    }

    @inlinable public func index(_ i: Int, _ j: Int) -> Int { i &* (bandwidth &+ 1) &+ (j &- i &+ bandwidth) }

    /// Adds `value` to A(i, j) (and by symmetry A(j, i)); requires |i − j| ≤ bandwidth.
    @inlinable public mutating func add(_ i: Int, _ j: Int, _ value: Double) {
        if j <= i { band[index(i, j)] += value } else { band[index(j, i)] += value }
    }

    public func entry(_ i: Int, _ j: Int) -> Double {
        let (r, c) = j <= i ? (i, j) : (j, i)
        return r - c > bandwidth ? 0 : band[index(r, c)]
    }

    /// The factorised matrix; throws when A is not positive definite.
    public func factorised() throws(LinearAlgebraError) -> BandedFactor {
        let n = size, k = bandwidth, w = k + 1
        var l = band
        var d = [Double](repeating: 0, count: n)
        try l.withUnsafeMutableBufferPointer { (l: inout UnsafeMutableBufferPointer<Double>) throws(LinearAlgebraError) in
            try d.withUnsafeMutableBufferPointer { (d: inout UnsafeMutableBufferPointer<Double>) throws(LinearAlgebraError) in
                for i in 0..<n {
                    let j0 = max(0, i - k)
                    for j in j0...i {
                        var s = l[i &* w &+ (j &- i &+ k)]
                        let m0 = max(j0, j - k)
                        var m = m0
                        while m < j {
                            s -= l[i &* w &+ (m &- i &+ k)] * l[j &* w &+ (m &- j &+ k)] * d[m]
                            m &+= 1
                        }
                        if j == i {
                            guard s > 0, s.isFinite else { throw LinearAlgebraError(routine: "banded LDLᵀ", info: Int32(i + 1)) }
                            d[i] = s
                            l[i &* w &+ k] = 1
                        } else {
                            l[i &* w &+ (j &- i &+ k)] = s / d[j]
                        }
                    }
                }
            }
        }
        return BandedFactor(size: n, bandwidth: k, lower: l, diagonal: d)
    }
}

/// L D Lᵀ factors of a `BandedSymmetricSystem`.
public struct BandedFactor: Sendable {
    public let size: Int
    public let bandwidth: Int
    /// Unit lower band of L (same layout as the system's band).
    public let lower: [Double]
    public let diagonal: [Double]

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] {
        let n = size, k = bandwidth, w = k + 1
        var x = b
        for i in 0..<n {
            var s = x[i]
            for m in max(0, i - k)..<i { s -= lower[i * w + (m - i + k)] * x[m] }
            x[i] = s
        }
        for i in 0..<n { x[i] /= diagonal[i] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for m in (i + 1)..<min(n, i + k + 1) { s -= lower[m * w + (i - m + k)] * x[m] }
            x[i] = s
        }
        return x
    }

    /// Entries of A⁻¹ inside the band (same layout as the system's band: (i, j) for i − k ≤ j ≤ i).
    public func selectedInverse() -> [Double] {
        let n = size, k = bandwidth, w = k + 1
        var z = [Double](repeating: 0, count: n * w)
        // Z(i, j) for j ≥ i, read through symmetry from the stored lower band.
        func zAt(_ i: Int, _ j: Int) -> Double { i >= j ? z[i * w + (j - i + k)] : z[j * w + (i - j + k)] }
        for i in stride(from: n - 1, through: 0, by: -1) {
            let top = min(n - 1, i + k)
            // Off-diagonal entries Z(j, i), j > i, from the already-known rows below.
            if top > i {
                for j in stride(from: top, through: i + 1, by: -1) {
                    var s = 0.0
                    for m in (i + 1)...top { s -= lower[m * w + (i - m + k)] * zAt(m, j) }
                    z[j * w + (i - j + k)] = s
                }
            }
            var s = 1 / diagonal[i]
            if top > i { for m in (i + 1)...top { s -= lower[m * w + (i - m + k)] * z[m * w + (i - m + k)] } }
            z[i * w + k] = s
        }
        return z
    }
}
