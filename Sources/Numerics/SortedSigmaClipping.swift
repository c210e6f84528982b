extension RobustStatistics {
    /// The same statistics as `sigmaClipped` (astropy defaults: |v − median| ≤ `sigma` × std, up to `iterations`
    /// times), for large samples: the values are sorted once, after which every iteration's survivors form one
    /// contiguous run, found by two binary searches; the median is read off the run and mean and standard deviation
    /// take one pass over it. `values` is reordered (sorted); non-finite values are ignored.
    public static func sigmaClippedSorting(_ values: inout [Float], sigma: Double = 3, iterations: Int = 5) -> ClippedStatistics? {
        values.removeAll { !$0.isFinite }
        guard !values.isEmpty else { return nil }
        values.sort()
        return values.withUnsafeBufferPointer { v in
            var lo = 0, hi = v.count
            var stats = ClippedStatistics(mean: 0, median: 0, standardDeviation: 0, count: 0)
            for _ in 0...iterations {
                let n = hi - lo
                let median = n % 2 == 1 ? Double(v[lo + n / 2]) : (Double(v[lo + n / 2 - 1]) + Double(v[lo + n / 2])) / 2
                // Sums about the median keep the variance free of cancellation.
                var sum = 0.0, sumSq = 0.0
                for i in lo..<hi {
                    let d = Double(v[i]) - median
                    sum += d
                    sumSq += d * d
                }
                let meanOffset = sum / Double(n)
                let std = max(0, sumSq / Double(n) - meanOffset * meanOffset).squareRoot()
                stats = ClippedStatistics(mean: median + meanOffset, median: median, standardDeviation: std, count: n)
                let limit = sigma * std
                let newLo = firstIndex(in: v, lo, hi) { Double($0) - median >= -limit }
                let newHi = firstIndex(in: v, newLo, hi) { Double($0) - median > limit }
                if newHi - newLo == n || newHi == newLo { break }
                (lo, hi) = (newLo, newHi)
            }
            return stats
        }
    }

    /// First index in lo..<hi of a sorted buffer where the monotone predicate holds (hi if none).
    private static func firstIndex(in v: UnsafeBufferPointer<Float>, _ lo: Int, _ hi: Int, where holds: (Float) -> Bool) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if holds(v[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
