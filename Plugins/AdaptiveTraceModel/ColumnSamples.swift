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

    /// The interpolated value at row position q; beyond the ends the end value (or, if `linearEnds`, the end
    /// segment's line). NaN when there are no samples.
    func interpolate(_ q: Double, linearEnds: Bool = false) -> Double {
        guard count > 0 else { return .nan }
        if count == 1 { return values[0] }
        var lo = 0, hi = count - 1
        if q <= rows[0] {
            if !linearEnds { return values[0] }
            hi = 1
        } else if q >= rows[count - 1] {
            if !linearEnds { return values[count - 1] }
            lo = count - 2
        } else {
            while hi - lo > 1 {
                let mid = (lo + hi) >> 1
                if rows[mid] <= q { lo = mid } else { hi = mid }
            }
        }
        let t = (q - rows[lo]) / (rows[hi] - rows[lo])
        return values[lo] + t * (values[hi] - values[lo])
    }
}
