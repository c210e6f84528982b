/// A cubic B-spline basis on a clamped knot vector (end knots repeated four times): the building block of the
/// trace-profile fits. Only four basis functions are non-zero at any point, which is what makes the least-squares
/// normal equations banded (see `BandedLeastSquares`).
public struct CubicBSplineBasis: Sendable, Equatable {
    /// The full knot vector: `lower` four times, the interior knots, `upper` four times.
    public let knots: [Double]
    public var lower: Double { knots[3] }
    public var upper: Double { knots[knots.count - 4] }
    /// Number of basis functions (= number of coefficients of a spline on this basis).
    public var count: Int { knots.count - 4 }
    /// Number of knot intervals between `lower` and `upper`.
    public var intervals: Int { count - 3 }

    /// A basis on [lower, upper] with the given strictly increasing interior knots (all inside the interval).
    public init(lower: Double, upper: Double, interior: [Double]) {
        precondition(lower < upper, "B-spline interval must be non-empty")
        knots = [lower, lower, lower, lower] + interior + [upper, upper, upper, upper]
    }

    /// Interior knots spaced `(upper - lower) / nominalIntervals` apart, starting half a spacing in from `lower`
    /// and stopping half a spacing before `upper` — the placement the ATM paper's fits use.
    public static func halfOffsetUniform(lower: Double, upper: Double, nominalIntervals: Int) -> CubicBSplineBasis {
        let spacing = (upper - lower) / Double(max(1, nominalIntervals))
        var interior: [Double] = []
        var knot = lower + spacing / 2
        while knot < upper - spacing / 2 - 1e-12 * spacing {
            interior.append(knot)
            knot += spacing
        }
        return CubicBSplineBasis(lower: lower, upper: upper, interior: interior)
    }

    /// Index `s` of the knot span holding x (knots[s] ≤ x < knots[s+1]), clamped to the basis interval.
    @inline(__always)
    public func span(of x: Double) -> Int {
        let n = count
        if x >= knots[n] { return n - 1 }
        if x <= knots[3] { return 3 }
        var lo = 3, hi = n
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if x < knots[mid] { hi = mid } else { lo = mid }
        }
        return lo
    }

    /// The four non-zero basis values at x and the index of the first of them (Cox–de Boor recursion, unrolled
    /// for degree 3). Points outside [lower, upper] are evaluated on the end span (polynomial continuation).
    @inline(__always)
    public func evaluate(_ x: Double) -> (first: Int, values: SIMD4<Double>) {
        let s = span(of: x)
        return knots.withUnsafeBufferPointer { t in
            let left1 = x - t[s], right1 = t[s + 1] - x
            let left2 = x - t[s - 1], right2 = t[s + 2] - x
            let left3 = x - t[s - 2], right3 = t[s + 3] - x
            // degree 1
            var temp = 1 / (right1 + left1)
            var n0 = right1 * temp
            var n1 = left1 * temp
            // degree 2
            temp = n0 / (right1 + left2)
            let m0 = right1 * temp
            var saved = left2 * temp
            temp = n1 / (right2 + left1)
            let m1 = saved + right2 * temp
            let m2 = left1 * temp
            // degree 3
            temp = m0 / (right1 + left3)
            n0 = right1 * temp
            saved = left3 * temp
            temp = m1 / (right2 + left2)
            n1 = saved + right2 * temp
            saved = left2 * temp
            temp = m2 / (right3 + left1)
            let n2 = saved + right3 * temp
            let n3 = left1 * temp
            return (s - 3, SIMD4(n0, n1, n2, n3))
        }
    }

    /// The spline with `coefficients` (length `count`) at x.
    @inline(__always)
    public func value(at x: Double, coefficients: UnsafeBufferPointer<Double>) -> Double {
        let (first, b) = evaluate(x)
        return b[0] * coefficients[first] + b[1] * coefficients[first + 1] + b[2] * coefficients[first + 2]
            + b[3] * coefficients[first + 3]
    }
}
