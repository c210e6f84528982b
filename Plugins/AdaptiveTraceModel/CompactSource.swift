/// Where a region's model is trusted: near peaks of the histogram of along-slice positions at which the
/// normalised profile is steep (slope above `slope_limit`), i.e. where a compact source sits.
struct CompactSource: Sendable {
    /// Every pixel with a model is compact (slope_limit ≤ 0 or psf_optimal).
    var everywhere: Bool
    var peaks: [Double]
    var halfWidth: Double

    func contains(_ a: Double) -> Bool {
        if everywhere { return true }
        for p in peaks where a > p - halfWidth && a <= p + halfWidth { return true }
        return false
    }

    /// From the high-slope positions: a histogram of `bins` bins of half a native pixel, centred on alpha = 0,
    /// scaled to a maximum of 1; peaks are strict local maxima (plateaus: their middle) of height ≥ 0.2, not in the
    /// first or last bin, located at the left edge of their bin. Needs at least 50 high-slope points.
    static func find(highSlope: [Double], bins: Int, nativeStep: Double, pad: Double) -> CompactSource {
        let none = CompactSource(everywhere: false, peaks: [], halfWidth: 0)
        guard highSlope.count >= 50, bins >= 3 else { return none }
        let lower = -nativeStep * Double(bins) / 4
        let width = nativeStep / 2
        var counts = [Double](repeating: 0, count: bins)
        for a in highSlope {
            let b = Int(((a - lower) / width).rounded(.down))
            if b >= 0 && b < bins { counts[b] += 1 } else if b == bins && a == lower + width * Double(bins) { counts[bins - 1] += 1 }
        }
        guard let top = counts.max(), top > 0 else { return none }
        let h = counts.map { $0 / top }
        var peaks: [Double] = []
        var i = 1
        while i < bins - 1 {
            if h[i] > h[i - 1] {
                var j = i
                while j + 1 < bins && h[j + 1] == h[i] { j += 1 }
                if j + 1 < bins && h[j + 1] < h[i] && h[i] >= 0.2 {
                    let middle = (i + j) / 2
                    peaks.append(lower + width * Double(middle))
                }
                i = j + 1
            } else {
                i += 1
            }
        }
        return CompactSource(everywhere: false, peaks: peaks, halfWidth: pad * nativeStep)
    }
}
