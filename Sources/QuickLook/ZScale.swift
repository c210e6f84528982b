/// Display limits for an astronomical image by IRAF's zscale: a line is fitted, with iterative rejection, to a
/// sorted sample of the finite pixels, and the limits are the median ∓ its slope over the contrast — so that the
/// faint background, not the few bright sources, decides the stretch.
struct ZScale: Equatable {
    var low: Float
    var high: Float

    static let contrast: Float = 0.25
    static let sampleSize = 1000
    static let rejection: Float = 2.5

    /// Limits from `values` (NaN and infinities ignored); sampled evenly to at most `sampleSize` values.
    init(_ values: UnsafeBufferPointer<Float>) {
        let step = max(1, values.count / (Self.sampleSize * 4))
        var sample: [Float] = []
        sample.reserveCapacity(values.count / step + 1)
        var i = 0
        while i < values.count {
            if values[i].isFinite { sample.append(values[i]) }
            i += step
        }
        if sample.count > Self.sampleSize {
            let stride = Double(sample.count) / Double(Self.sampleSize)
            sample = (0..<Self.sampleSize).map { sample[Int(Double($0) * stride)] }
        }
        self.init(sample: sample.sorted())
    }

    init(_ values: [Float]) { self = values.withUnsafeBufferPointer { ZScale($0) } }

    /// From a sorted sample.
    private init(sample sorted: [Float]) {
        guard let first = sorted.first, let last = sorted.last else { (low, high) = (0, 1); return }
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        var used = [Bool](repeating: true, count: n)
        var slope: Float = 0, intercept: Float = median
        for _ in 0..<5 {
            var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, count = 0.0
            for j in 0..<n where used[j] {
                let x = Double(j), y = Double(sorted[j])
                sx += x; sy += y; sxx += x * x; sxy += x * y; count += 1
            }
            guard count >= Double(max(5, n / 2)) else { break }
            let d = count * sxx - sx * sx
            guard d > 0 else { break }
            slope = Float((count * sxy - sx * sy) / d)
            intercept = Float((sy - Double(slope) * sx) / count)
            var residuals: [Float] = []
            for j in 0..<n where used[j] { residuals.append(sorted[j] - (intercept + slope * Float(j))) }
            let mean = residuals.reduce(0, +) / Float(residuals.count)
            let sigma = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(residuals.count)).squareRoot()
            var changed = false
            for j in 0..<n where used[j] && abs(sorted[j] - (intercept + slope * Float(j))) > Self.rejection * sigma {
                used[j] = false
                changed = true
            }
            if !changed { break }
        }
        let centre = Float(n - 1) / 2
        let scaled = slope / Self.contrast
        low = max(first, median - centre * scaled)
        high = min(last, median + centre * scaled)
        if !(high > low) { (low, high) = (first, last > first ? last : first + 1) }
    }
}
