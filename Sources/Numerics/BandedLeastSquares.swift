/// Normal equations of a least-squares fit on a cubic B-spline basis, kept in band storage (bandwidth 3: each
/// observation touches four consecutive coefficients) and solved by a banded Cholesky factorisation.
///
/// Sums are additive, so a sliding window of columns adds the entering column's equations and subtracts the
/// leaving one's instead of rebuilding; rejected points are subtracted the same way. `solve` works on scratch
/// buffers owned by the value, so a fitting loop that reuses one instance never allocates.
public struct BandedLeastSquares: Sendable {
    /// Number of unknowns.
    public let size: Int
    static let bandwidth = 3
    /// Lower band of BᵀB: row i, columns i-3…i at `gram[i*4 + (j - i + 3)]`.
    public private(set) var gram: [Double]
    /// Bᵀy.
    public private(set) var rhs: [Double]
    /// Number of observations currently accumulated.
    public private(set) var observations: Int = 0
    /// The solution of the last successful `solve()`.
    public private(set) var coefficients: [Double]
    private var factor: [Double]

    public init(size: Int) {
        self.size = size
        gram = [Double](repeating: 0, count: size * 4)
        rhs = [Double](repeating: 0, count: size)
        factor = gram
        coefficients = rhs
    }

    /// Removes every observation.
    public mutating func reset() {
        for i in gram.indices { gram[i] = 0 }
        for i in rhs.indices { rhs[i] = 0 }
        observations = 0
    }

    /// Adds (sign = +1) or removes (sign = -1) one observation y whose non-zero basis values start at `first`.
    @inline(__always)
    public mutating func accumulate(first: Int, basis b: SIMD4<Double>, y: Double, sign: Double = 1) {
        let sb = b * sign
        gram.withUnsafeMutableBufferPointer { g in
            for r in 0..<4 {
                let row = (first &+ r) &* 4
                for c in 0...r { g[row &+ (c &- r &+ 3)] += sb[r] * b[c] }
            }
        }
        rhs.withUnsafeMutableBufferPointer { v in
            for r in 0..<4 { v[first &+ r] += sb[r] * y }
        }
        observations += sign > 0 ? 1 : -1
    }

    /// Adds (sign = +1) or subtracts (sign = -1) another set of equations of the same size.
    public mutating func merge(_ other: BandedLeastSquares, sign: Double = 1) {
        precondition(other.size == size)
        gram.withUnsafeMutableBufferPointer { g in
            other.gram.withUnsafeBufferPointer { o in for i in 0..<g.count { g[i] += sign * o[i] } }
        }
        rhs.withUnsafeMutableBufferPointer { v in
            other.rhs.withUnsafeBufferPointer { o in for i in 0..<v.count { v[i] += sign * o[i] } }
        }
        observations += sign > 0 ? other.observations : -other.observations
    }

    /// Solves for `coefficients`. Returns false when the system is not positive definite — some coefficient is
    /// not constrained by the data (an empty knot interval, i.e. the Schoenberg–Whitney condition fails).
    public mutating func solve() -> Bool {
        let n = size
        var largestDiagonal = 0.0
        for i in 0..<n { largestDiagonal = max(largestDiagonal, gram[i * 4 + 3]) }
        guard largestDiagonal > 0 else { return false }
        let tolerance = largestDiagonal * 1e-11
        let ok: Bool = factor.withUnsafeMutableBufferPointer { l in
            gram.withUnsafeBufferPointer { a in
                for i in 0..<n {
                    let jStart = max(0, i &- 3)
                    for j in jStart...i {
                        var sum = a[i &* 4 &+ (j &- i &+ 3)]
                        var k = jStart
                        while k < j {
                            sum -= l[i &* 4 &+ (k &- i &+ 3)] * l[j &* 4 &+ (k &- j &+ 3)]
                            k &+= 1
                        }
                        if i == j {
                            if !(sum > tolerance) { return false }
                            l[i &* 4 &+ 3] = sum.squareRoot()
                        } else {
                            l[i &* 4 &+ (j &- i &+ 3)] = sum / l[j &* 4 &+ 3]
                        }
                    }
                }
                return true
            }
        }
        guard ok else { return false }
        factor.withUnsafeBufferPointer { l in
            coefficients.withUnsafeMutableBufferPointer { x in
                rhs.withUnsafeBufferPointer { b in
                    for i in 0..<n {
                        var sum = b[i]
                        for k in max(0, i &- 3)..<i { sum -= l[i &* 4 &+ (k &- i &+ 3)] * x[k] }
                        x[i] = sum / l[i &* 4 &+ 3]
                    }
                    var i = n &- 1
                    while i >= 0 {
                        var sum = x[i]
                        var k = i &+ 1
                        while k <= min(n &- 1, i &+ 3) {
                            sum -= l[k &* 4 &+ (i &- k &+ 3)] * x[k]
                            k &+= 1
                        }
                        x[i] = sum / l[i &* 4 &+ 3]
                        i &-= 1
                    }
                }
            }
        }
        return true
    }
}
