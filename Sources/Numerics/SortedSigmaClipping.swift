extension RobustStatistics {
    /// The same statistics as `sigmaClipped` (astropy defaults: |v − median| ≤ `sigma` × std, up to `iterations`
    /// times), for large samples: the values are sorted once, after which every iteration's survivors form one
    /// contiguous run, found by two binary searches; the median is read off the run and mean and standard deviation
    /// take one pass over it. `values` is sorted in place (radix sort, linear time); non-finite values are removed.
    public static func sigmaClippedSorting(_ values: inout [Float], sigma: Double = 3, iterations: Int = 5) -> ClippedStatistics? {
        values.removeAll { !$0.isFinite }
        guard !values.isEmpty else { return nil }
        radixSort(&values)
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

    /// Sorts finite floats with a three-pass LSD radix sort on their bit patterns (11 bits per pass), mapped so that
    /// unsigned order is numeric order: linear time, about ten times faster than a comparison sort for a detector's
    /// worth of pixels. The order is `sort()`'s, except that −0 comes before +0.
    public static func radixSort(_ values: inout [Float]) {
        let n = values.count
        guard n > 64 else { values.sort(); return }
        var keys = values.map { v -> UInt32 in
            let bits = v.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        var other = [UInt32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2048)
        for shift: UInt32 in [0, 11, 22] {
            for i in counts.indices { counts[i] = 0 }
            keys.withUnsafeBufferPointer { k in
                for key in k { counts[Int((key >> shift) & 0x7FF)] += 1 }
            }
            var total = 0
            for i in counts.indices { (counts[i], total) = (total, total + counts[i]) }
            keys.withUnsafeBufferPointer { k in
                other.withUnsafeMutableBufferPointer { o in
                    counts.withUnsafeMutableBufferPointer { c in
                        for key in k {
                            let bucket = Int((key >> shift) & 0x7FF)
                            o[c[bucket]] = key
                            c[bucket] += 1
                        }
                    }
                }
            }
            swap(&keys, &other)
        }
        for i in 0..<n {
            let key = keys[i]
            values[i] = Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
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
