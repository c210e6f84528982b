import Numerics

/// The sliding-window B-spline fit of one region: normal equations of every usable pixel in the current window
/// of columns, updated column by column, and the iterative sigma rejection. All buffers are allocated once.
struct WindowFitter {
    let basis: CubicBSplineBasis
    let settings: TraceModelSettings
    /// Knot intervals the reference places over a window's alpha range (its `spline_bkpt`), for the gap rule.
    let nominalIntervals: Int
    private var base: BandedLeastSquares
    private var work: BandedLeastSquares
    private var kept: [Bool]
    private var residuals: [Double]
    /// The window's usable alphas, sorted (for the gap rule), and merge scratch.
    private var sorted: [Double]
    private var merged: [Double]
    private var sortedCount = 0
    private var entering: [Double] = []
    private var leaving: [Double] = []
    private var current: Range<Int> = 0..<0

    init(basis: CubicBSplineBasis, nominalIntervals: Int, maxPixels: Int, settings: TraceModelSettings) {
        self.basis = basis
        self.settings = settings
        self.nominalIntervals = nominalIntervals
        base = BandedLeastSquares(size: basis.count)
        work = base
        kept = [Bool](repeating: false, count: max(1, maxPixels))
        residuals = [Double](repeating: 0, count: max(1, maxPixels))
        sorted = residuals
        merged = residuals
    }

    private mutating func column(
        _ k: Int, sign: Double, colOffset: [Int], first: [Int32], values: [SIMD4<Double>], norm: [Double],
        a: [Double]
    ) {
        for p in colOffset[k]..<colOffset[k + 1] where first[p] >= 0 {
            base.accumulate(first: Int(first[p]), basis: values[p], y: norm[p], sign: sign)
            if sign > 0 { entering.append(a[p]) } else { leaving.append(a[p]) }
        }
    }

    /// Moves the window to `target`, adding and removing whole columns.
    mutating func slide(to target: Range<Int>, colOffset: [Int], first: [Int32], values: [SIMD4<Double>], norm: [Double], a: [Double]) {
        entering.removeAll(keepingCapacity: true)
        leaving.removeAll(keepingCapacity: true)
        if target.overlaps(current) {
            for k in current where !target.contains(k) {
                column(k, sign: -1, colOffset: colOffset, first: first, values: values, norm: norm, a: a)
            }
            for k in target where !current.contains(k) {
                column(k, sign: 1, colOffset: colOffset, first: first, values: values, norm: norm, a: a)
            }
        } else {
            base.reset()
            sortedCount = 0
            for k in target { column(k, sign: 1, colOffset: colOffset, first: first, values: values, norm: norm, a: a) }
        }
        updateSorted()
        current = target
    }

    /// One merge pass: the sorted window minus the leaving alphas plus the entering ones.
    private mutating func updateSorted() {
        entering.sort()
        leaving.sort()
        let count = sortedCount
        sortedCount = entering.withUnsafeBufferPointer { enter in
            leaving.withUnsafeBufferPointer { leave in
                sorted.withUnsafeBufferPointer { old in
                    merged.withUnsafeMutableBufferPointer { out in
                        var i = 0, l = 0, e = 0, m = 0
                        while i < count || e < enter.count {
                            // The old values before the next event (the next leaving value, or the place of the next
                            // entering one) go over as one block; the event is then taken one step at a time.
                            var end = count
                            if l < leave.count { end = Self.firstIndex(in: old, i, end) { $0 >= leave[l] } }
                            if e < enter.count { end = Self.firstIndex(in: old, i, end) { $0 > enter[e] } }
                            if end > i {
                                (out.baseAddress! + m).update(from: old.baseAddress! + i, count: end &- i)
                                m &+= end &- i
                                i = end
                                if i == count && e == enter.count { break }
                            }
                            if i < count && l < leave.count && old[i] == leave[l] { i &+= 1; l &+= 1; continue }
                            if e < enter.count && (i >= count || enter[e] < old[i]) {
                                out[m] = enter[e]; e &+= 1
                            } else {
                                out[m] = old[i]; i &+= 1
                            }
                            m &+= 1
                        }
                        return m
                    }
                }
            }
        }
        swap(&sorted, &merged)
    }

    /// The first index in `lo..<hi` of the sorted `values` whose value satisfies `isAfter` (a predicate that holds
    /// from some point of the order on), or `hi`.
    private static func firstIndex(
        in values: UnsafeBufferPointer<Double>, _ lo: Int, _ hi: Int, _ isAfter: (Double) -> Bool
    ) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if isAfter(values[mid]) { hi = mid } else { lo = mid &+ 1 }
        }
        return lo
    }

    /// The reference's gap rule: the window's sorted alphas, with the first spacing measured from alpha = 0, have
    /// ten or more spacings wider than `spaceRatio` knot spacings (knot spacing = the window's alpha range divided
    /// by the region's nominal knot intervals). The profile's sub-pixel phases are then too sparsely sampled for
    /// the spline, and the column falls back to the previous column's model.
    private func hasGaps(intervals: Int) -> Bool {
        guard sortedCount > 1 else { return true }
        return sorted.withUnsafeBufferPointer { v in
            let limit = settings.spaceRatio * (v[sortedCount - 1] - v[0]) / Double(intervals)
            var gaps = abs(v[0]) > limit ? 1 : 0
            for i in 1..<sortedCount where v[i] - v[i &- 1] > limit { gaps &+= 1 }
            return gaps >= 10
        }
    }

    /// The alpha range of the current window's usable pixels.
    var bounds: (lower: Double, upper: Double) { (sorted[0], sorted[max(0, sortedCount - 1)]) }

    /// Fits the window: up to `fitIterations` least-squares solves, rejecting points beyond ±2.5 rms of the
    /// residuals between solves; stops when nothing is rejected or fewer than 80% of the points would remain.
    /// `gapIntervals` are the knot intervals the gap rule measures spacings against (the reference's knots for this
    /// attempt; `nominalIntervals` unless it retries with fewer).
    mutating func fit(colOffset: [Int], first: [Int32], values: [SIMD4<Double>], norm: [Double], gapIntervals: Int? = nil) -> Bool {
        let pixels = colOffset[current.lowerBound]..<colOffset[current.upperBound]
        guard base.observations > basis.count, !hasGaps(intervals: gapIntervals ?? nominalIntervals) else { return false }
        work.reset()
        work.merge(base)
        // Coefficients whose basis functions lie wholly outside the window's alpha range have no data: pin them to
        // zero (a unit equation each) instead of failing the fit, so the window behaves as if its knots spanned
        // only its own range.
        let reached = basis.evaluate(bounds.lower).first...(basis.evaluate(bounds.upper).first + 3)
        var pinned = 0 // equations that are not observations (pins and penalty rows)
        for j in 0..<basis.count where !reached.contains(j) {
            let start = min(j, basis.count - 4)
            var unit = SIMD4<Double>.zero
            unit[j - start] = 1
            work.accumulate(first: start, basis: unit, y: 0)
            pinned += 1
        }
        // A weak third-difference penalty (settings.smoothing): it decides only the coefficient combinations the
        // window's data leave free (few sampled sub-pixel phases), where the plain fit wiggles at the pixel scale.
        var diagonal = 0.0
        for i in 0..<basis.count { diagonal += work.gram[i * 4 + 3] }
        let weight = (settings.smoothing * diagonal / Double(basis.count)).squareRoot()
        if weight > 0 {
            for j in 0...(basis.count - 4) {
                work.accumulate(first: j, basis: SIMD4(weight, -3 * weight, 3 * weight, -weight), y: 0)
                pinned += 1
            }
        }
        let original = base.observations
        let lower = pixels.lowerBound
        return kept.withUnsafeMutableBufferPointer { kept in
            residuals.withUnsafeMutableBufferPointer { residuals in
                first.withUnsafeBufferPointer { first in
                    values.withUnsafeBufferPointer { values in
                        norm.withUnsafeBufferPointer { norm in
                            for p in pixels { kept[p &- lower] = first[p] >= 0 }
                            var solved = false
                            for iteration in 0..<settings.fitIterations {
                                guard work.solve() else { break }
                                solved = true
                                if iteration == settings.fitIterations - 1 { break }
                                // Residuals and their rms over the kept points, then rejection beyond ±2.5 rms.
                                // Counting in an integer gives the same n as adding ones in a Double (exact below
                                // 2⁵³), without a third chain of dependent floating-point additions.
                                var sum = 0.0, sumSq = 0.0, count = 0
                                work.coefficients.withUnsafeBufferPointer { c in
                                    for p in pixels where kept[p &- lower] {
                                        let j = Int(first[p]), b: SIMD4<Double> = values[p]
                                        let model: Double = b[0] * c[j] + b[1] * c[j &+ 1] + b[2] * c[j &+ 2] + b[3] * c[j &+ 3]
                                        let r: Double = norm[p] - model
                                        residuals[p &- lower] = r
                                        sum += r; sumSq += r * r; count &+= 1
                                    }
                                }
                                let n = Double(count)
                                let mean = sum / n
                                let limit = settings.rejectionSigma * max(0, sumSq / n - mean * mean).squareRoot()
                                var rejected = 0
                                for p in pixels where kept[p &- lower] {
                                    let r = residuals[p &- lower]
                                    if r < -limit || r > limit {
                                        kept[p &- lower] = false
                                        work.accumulate(first: Int(first[p]), basis: values[p], y: norm[p], sign: -1)
                                        rejected += 1
                                    }
                                }
                                if rejected == 0 || Double(work.observations - pinned) < 0.8 * Double(original) { break }
                            }
                            return solved
                        }
                    }
                }
            }
        }
    }

    /// Copies the last successful solution to `destination[offset...]`.
    func copySolution(into destination: inout [Double], at offset: Int) {
        for i in 0..<basis.count { destination[offset + i] = work.coefficients[i] }
    }
}

/// Scratch for the per-column scale factor: the ratio of the column's flux to the normalised profile, weighted by
/// the profile, with outliers against the five best-weighted ratios removed (reference notes A.5 step 7).
struct ScaleScratch {
    private var ratio: [Double]
    private var weight: [Double]

    init(capacity: Int) {
        ratio = [Double](repeating: 0, count: max(1, capacity))
        weight = ratio
    }

    mutating func scale(model: RegionModel, column k: Int, pixels: Range<Int>, a: [Double], f: [Double]) -> Double {
        var n = 0
        var top = SIMD8<Double>(repeating: -.infinity)
        for p in pixels where a[p].isFinite {
            let s = model.profile(k, at: a[p])
            guard s.isFinite else { continue }
            let r = f[p] / s
            let w = (r.isFinite && r >= 0 && s >= 0) ? s : 0
            ratio[n] = r
            weight[n] = w
            n += 1
            if w > 0 && r.isFinite {
                // Keep the five largest weights in top[0...4], descending.
                var v = w
                for i in 0..<5 where v > top[i] { let t = top[i]; top[i] = v; v = t }
            }
        }
        let fifth = top[4].isFinite ? top[4] : (0..<5).map { top[$0] }.filter(\.isFinite).min() ?? .infinity
        guard fifth.isFinite else { return .nan }
        var best = SIMD8<Double>(repeating: 0)
        var m = 0
        for i in 0..<n where weight[i] > 0 && weight[i] >= fifth && ratio[i].isFinite && m < 8 { best[m] = ratio[i]; m += 1 }
        let (centre, spread) = Self.clippedMeanAndStd(best, count: m)
        var sumW = 0.0, sumRW = 0.0
        for i in 0..<n where weight[i] > 0 && ratio[i].isFinite && abs(centre - ratio[i]) <= 2 * spread {
            sumW += weight[i]
            sumRW += weight[i] * ratio[i]
        }
        return sumW > 0 ? sumRW / sumW : .nan
    }

    /// Sigma-clipped (3 sigma about the median, 5 iterations) mean and population std of up to eight values.
    static func clippedMeanAndStd(_ values: SIMD8<Double>, count: Int) -> (Double, Double) {
        var v = values, n = count
        var mean = 0.0, std = 0.0
        for _ in 0...5 {
            guard n > 0 else { break }
            // Insertion sort of at most eight values, in place (no allocation in the column loop).
            for i in 1..<max(1, n) {
                let key = v[i]
                var j = i - 1
                while j >= 0 && v[j] > key { v[j + 1] = v[j]; j -= 1 }
                v[j + 1] = key
            }
            let median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
            var sum = 0.0
            for i in 0..<n { sum += v[i] }
            mean = sum / Double(n)
            var sq = 0.0
            for i in 0..<n { sq += (v[i] - mean) * (v[i] - mean) }
            std = (sq / Double(n)).squareRoot()
            var kept = 0
            for i in 0..<n where abs(v[i] - median) <= 3 * std { v[kept] = v[i]; kept += 1 }
            if kept == n || kept == 0 { break }
            n = kept
        }
        return (mean, std)
    }
}
