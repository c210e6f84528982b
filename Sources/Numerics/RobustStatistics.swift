/// Order statistics and sigma clipping that ignore non-finite values.
public enum RobustStatistics {
    /// Median of the finite values; nil when there are none.
    public static func median<C: Collection>(_ values: C) -> Double? where C.Element: BinaryFloatingPoint {
        var v = values.compactMap { $0.isFinite ? Double($0) : nil }
        guard !v.isEmpty else { return nil }
        return medianInPlace(&v)
    }

    /// Median of `v`, reordering it (partial selection, O(n) expected).
    public static func medianInPlace(_ v: inout [Double]) -> Double {
        v.withUnsafeMutableBufferPointer { medianInPlace($0) }
    }

    /// Median of a non-empty buffer, reordering it.
    public static func medianInPlace(_ v: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = v.count
        let upper = select(v, n / 2)
        if n % 2 == 1 { return upper }
        var lower = -Double.infinity
        for i in 0..<(n / 2) where v[i] > lower { lower = v[i] }
        return (lower + upper) / 2
    }

    /// The k-th smallest element (Hoare selection); leaves smaller elements before index k.
    public static func select(_ v: inout [Double], _ k: Int) -> Double {
        v.withUnsafeMutableBufferPointer { select($0, k) }
    }

    /// The k-th smallest element of a buffer (Hoare selection), in place: this runs once or twice per detector
    /// line, where Array's uniqueness and bounds checks inside the partition loop cost more than the comparisons.
    public static func select(_ b: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        precondition(b.indices.contains(k), "select: index \(k) outside 0..<\(b.count)")
        var lo = 0, hi = b.count - 1
        while lo < hi {
            let pivot = b[(lo &+ hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while b[i] < pivot { i &+= 1 }
                while b[j] > pivot { j &-= 1 }
                if i <= j {
                    let t = b[i]
                    b[i] = b[j]
                    b[j] = t
                    i &+= 1
                    j &-= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { break }
        }
        return b[k]
    }

    /// Median absolute deviation scaled to a Gaussian sigma (× 1.4826).
    public static func madSigma<C: Collection>(_ values: C) -> Double? where C.Element: BinaryFloatingPoint {
        guard let m = median(values) else { return nil }
        var deviations = values.compactMap { $0.isFinite ? abs(Double($0) - m) : nil }
        return 1.4826 * medianInPlace(&deviations)
    }

    /// Result of iterative sigma clipping.
    public struct ClippedStatistics: Sendable, Equatable {
        public var mean: Double
        public var median: Double
        public var standardDeviation: Double
        public var count: Int
    }

    /// Sigma-clipped mean, median and population standard deviation: rejects |v − median| > `sigma` × std,
    /// up to `iterations` times (astropy's `sigma_clipped_stats` defaults: 3 sigma, 5 iterations).
    public static func sigmaClipped<C: Collection>(_ values: C, sigma: Double = 3, iterations: Int = 5) -> ClippedStatistics?
    where C.Element: BinaryFloatingPoint {
        var kept = values.compactMap { $0.isFinite ? Double($0) : nil }
        guard !kept.isEmpty else { return nil }
        var stats = ClippedStatistics(mean: 0, median: 0, standardDeviation: 0, count: 0)
        for _ in 0...iterations {
            var scratch = kept
            let med = medianInPlace(&scratch)
            let mean = kept.reduce(0, +) / Double(kept.count)
            let variance = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count)
            stats = ClippedStatistics(mean: mean, median: med, standardDeviation: variance.squareRoot(), count: kept.count)
            let limit = sigma * stats.standardDeviation
            let survivors = kept.filter { abs($0 - med) <= limit }
            if survivors.count == kept.count || survivors.isEmpty { break }
            kept = survivors
        }
        return stats
    }
}
