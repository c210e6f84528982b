extension OversamplingJob {
    /// Spline plus residual is flux-conserving only as a whole: against linear interpolation it adds the profile's
    /// curvature term s − L[s] (L: linear interpolation of the spline's native-pixel values), which is positive in
    /// a concave core and negative on the convex flanks, and sums to about zero over the column. The reference uses
    /// it only in the compact-source window (peak ± 2 native pixels); where the PSF is wider than that (the red end)
    /// the window holds the core's gain without the flanks' loss, and the column gains up to ~1.5 % of its flux.
    /// So each run of compact-source pixels is extended outward, on both sides, native pixel by native pixel, while
    /// the spline is valid there and its correction to linear interpolation is still above 0.1 % of the column's model
    /// peak: the flanks that carry the compensating term get it, the flat wings stay linear.
    func extendCompactRuns(count: Int, peak: Double, scratch: ColumnScratch) {
        let n = settings.oversample, limit = 1e-3 * peak
        // Walks outward from `edge` one native pixel (its n positions, q = y ± (n−1)/2n) at a time: at the native
        // pixel's centre the correction is zero by construction, so a pixel joins when any of its positions counts.
        func extend(from edge: Int, step: Int) {
            var j = edge
            while j >= 0 && j < count {
                let last = step < 0 ? (j / n) * n : min(count - 1, (j / n) * n + n - 1)
                var significant = false
                for p in stride(from: j, through: last, by: step) {
                    guard scratch.use[p] == .splineValid, scratch.value[p].isFinite else { return }
                    if abs(scratch.spline[p] - scratch.value[p]) > limit { significant = true }
                }
                guard significant else { return }
                for p in stride(from: j, through: last, by: step) { scratch.use[p] = .margin }
                j = last + step
            }
        }
        var j = 0
        while j < count {
            guard scratch.use[j] == .compact else { j += 1; continue }
            var end = j
            while end + 1 < count && scratch.use[end + 1] == .compact { end += 1 }
            extend(from: j - 1, step: -1)
            extend(from: end + 1, step: 1)
            j = end + 1
        }
    }
}
