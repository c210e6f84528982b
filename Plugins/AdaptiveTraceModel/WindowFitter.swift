import Numerics

/// The sliding-window B-spline fit of one region: normal equations of every usable pixel in the current window
/// of columns, updated column by column, and the iterative sigma rejection. All buffers are allocated once.
struct WindowFitter {
    let basis: CubicBSplineBasis
    let settings: TraceModelSettings
    private var base: BandedLeastSquares
    private var work: BandedLeastSquares
    private var previous: [Double]
    private var kept: [Bool]
    private var occupied: [Bool]
    private var current: Range<Int> = 0..<0

    init(basis: CubicBSplineBasis, maxPixels: Int, settings: TraceModelSettings) {
        self.basis = basis
        self.settings = settings
        base = BandedLeastSquares(size: basis.count)
        work = base
        previous = [Double](repeating: 0, count: basis.count)
        kept = [Bool](repeating: false, count: max(1, maxPixels))
        occupied = [Bool](repeating: false, count: 8 * basis.intervals + 2)
    }

    private mutating func column(_ k: Int, sign: Double, colOffset: [Int], first: [Int32], values: [SIMD4<Double>], norm: [Double]) {
        for p in colOffset[k]..<colOffset[k + 1] where first[p] >= 0 {
            base.accumulate(first: Int(first[p]), basis: values[p], y: norm[p], sign: sign)
        }
    }

    /// Moves the window to `target`, adding and removing whole columns.
    mutating func slide(to target: Range<Int>, colOffset: [Int], first: [Int32], values: [SIMD4<Double>], norm: [Double]) {
        if target.overlaps(current) {
            for k in current where !target.contains(k) { column(k, sign: -1, colOffset: colOffset, first: first, values: values, norm: norm) }
            for k in target where !current.contains(k) { column(k, sign: 1, colOffset: colOffset, first: first, values: values, norm: norm) }
        } else {
            base.reset()
            for k in target { column(k, sign: 1, colOffset: colOffset, first: first, values: values, norm: norm) }
        }
        current = target
    }

    /// True when the window's alpha coverage has ten or more gaps wider than `spaceRatio` knot spacings.
    private mutating func hasGaps(_ pixels: Range<Int>, first: [Int32], a: [Double]) -> Bool {
        let n = occupied.count
        for i in 0..<n { occupied[i] = false }
        let scale = Double(n - 2) / (basis.upper - basis.lower)
        for p in pixels where first[p] >= 0 { occupied[min(n - 1, max(0, Int((a[p] - basis.lower) * scale)))] = true }
        let limit = Int((settings.spaceRatio * 8).rounded(.up))
        var gaps = 0, run = 0, seen = false
        for i in 0..<n {
            if occupied[i] {
                if seen && run >= limit { gaps += 1 }
                run = 0
                seen = true
            } else {
                run += 1
            }
        }
        return gaps >= 10
    }

    /// Fits the window: up to `fitIterations` least-squares solves, rejecting points beyond ±2.5 rms of the
    /// residuals between solves; stops when nothing is rejected or fewer than 80% of the points would remain.
    mutating func fit(colOffset: [Int], first: [Int32], values: [SIMD4<Double>], norm: [Double], a: [Double]) -> Bool {
        let pixels = colOffset[current.lowerBound]..<colOffset[current.upperBound]
        guard base.observations > basis.count, !hasGaps(pixels, first: first, a: a) else { return false }
        work.reset()
        work.merge(base)
        let original = base.observations
        for p in pixels { kept[p - pixels.lowerBound] = first[p] >= 0 }
        var solved = false
        for iteration in 0..<settings.fitIterations {
            guard work.solve() else { break }
            solved = true
            if iteration == settings.fitIterations - 1 { break }
            // Residual rms over the kept points, then rejection.
            var sum = 0.0, sumSq = 0.0, n = 0.0
            work.coefficients.withUnsafeBufferPointer { c in
                for p in pixels where kept[p - pixels.lowerBound] {
                    let j = Int(first[p]), b = values[p]
                    let r = norm[p] - (b[0] * c[j] + b[1] * c[j + 1] + b[2] * c[j + 2] + b[3] * c[j + 3])
                    sum += r; sumSq += r * r; n += 1
                }
            }
            let mean = sum / n
            let limit = settings.rejectionSigma * max(0, sumSq / n - mean * mean).squareRoot()
            for i in 0..<previous.count { previous[i] = work.coefficients[i] }
            var rejected = 0
            let coefficients = previous
            for p in pixels where kept[p - pixels.lowerBound] {
                let j = Int(first[p]), b = values[p]
                let r = norm[p] - (b[0] * coefficients[j] + b[1] * coefficients[j + 1] + b[2] * coefficients[j + 2]
                    + b[3] * coefficients[j + 3])
                if r < -limit || r > limit {
                    kept[p - pixels.lowerBound] = false
                    work.accumulate(first: j, basis: b, y: norm[p], sign: -1)
                    rejected += 1
                }
            }
            if rejected == 0 || Double(work.observations) < 0.8 * Double(original) { break }
        }
        return solved
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
