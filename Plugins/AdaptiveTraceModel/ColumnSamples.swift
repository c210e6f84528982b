/// The finite (row, value) samples of one column of one region, gathered into reusable buffers, and linear
/// interpolation between them (constant or linear continuation beyond the end samples).
struct ColumnSamples {
    private(set) var rows: [Double]
    private(set) var values: [Double]
    private(set) var count = 0

    init(capacity: Int) {
        rows = [Double](repeating: 0, count: max(1, capacity))
        values = rows
    }

    mutating func removeAll() { count = 0 }

    mutating func append(_ row: Int, _ value: Double) {
        guard value.isFinite else { return }
        rows[count] = Double(row)
        values[count] = value
        count += 1
    }

    /// Linear interpolation at the oversampled positions q_j = (k0 + j) / n − shift, j = 0..<`positions`, into
    /// `out[0..<positions]`: one walk along the samples (the positions increase) instead of a search per position.
    /// Beyond the ends: the end value, or with `linearEnds` the end segment's line. NaN when there are no samples.
    func resample(k0: Int, n: Int, shift: Double, positions: Int, linearEnds: Bool = false, into out: inout [Double]) {
        out.withUnsafeMutableBufferPointer { o in
            rows.withUnsafeBufferPointer { r in
                values.withUnsafeBufferPointer { v in
                    guard count > 1 else {
                        let constant = count == 1 ? v[0] : .nan
                        for j in 0..<positions { o[j] = constant }
                        return
                    }
                    let last = count - 1
                    var lo = 0
                    for j in 0..<positions {
                        let q = Double(k0 + j) / Double(n) - shift
                        let a: Int
                        if q <= r[0] {
                            if !linearEnds { o[j] = v[0]; continue }
                            a = 0
                        } else if q >= r[last] {
                            if !linearEnds { o[j] = v[last]; continue }
                            a = last - 1
                        } else {
                            while lo + 1 < last && r[lo + 1] <= q { lo += 1 }
                            a = lo
                        }
                        let t = (q - r[a]) / (r[a + 1] - r[a])
                        o[j] = v[a] + t * (v[a + 1] - v[a])
                    }
                }
            }
        }
    }
}
