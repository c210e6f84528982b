/// The finite (row, value) samples of one column of one region, and linear interpolation between them (constant or
/// linear continuation beyond the end samples). The storage belongs to a `ColumnScratch`, which allocates it once
/// per worker; this value is a cursor over it.
struct ColumnSamples {
    let rows: UnsafeMutableBufferPointer<Double>
    let values: UnsafeMutableBufferPointer<Double>
    private(set) var count = 0

    init(rows: UnsafeMutableBufferPointer<Double>, values: UnsafeMutableBufferPointer<Double>) {
        self.rows = rows
        self.values = values
    }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ row: Int, _ value: Double) {
        guard value.isFinite else { return }
        rows[count] = Double(row)
        values[count] = value
        count &+= 1
    }

    /// Linear interpolation at the increasing positions `q` (native rows), into `out[0..<q.count]`: one walk
    /// along the samples instead of a search per position. Beyond the ends: the end value, or with `linearEnds` the
    /// end segment's line. NaN when there are no samples.
    func resample(at q: UnsafeBufferPointer<Double>, linearEnds: Bool = false, into o: UnsafeMutableBufferPointer<Double>) {
        let r = rows, v = values
        guard count > 1 else {
            let constant = count == 1 ? v[0] : .nan
            for j in 0..<q.count { o[j] = constant }
            return
        }
        let last = count - 1
        var lo = 0
        for j in 0..<q.count {
            let q = q[j]
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
            // Samples one row apart, the usual case: a division by 1 changes no bit and costs a division's latency.
            let step = r[a + 1] - r[a]
            let t = step == 1 ? q - r[a] : (q - r[a]) / step
            o[j] = v[a] + t * (v[a + 1] - v[a])
        }
    }
}

/// Per-worker buffers of the oversampler, allocated once per band: the column's samples and their values at the
/// oversampled positions.
final class ColumnScratch {
    let samples, residuals, alphas, errors: ColumnSamples
    let linear, residual, alpha, error: UnsafeMutableBufferPointer<Double>
    /// Per oversampled position: linear value (NaN where not allowed), spline, spline + residual, and the choice.
    let value, trace, spline: UnsafeMutableBufferPointer<Double>
    let use: UnsafeMutableBufferPointer<PixelSource>
    /// Native-row position of every oversampled row (`OversamplingJob.positions`).
    private let rowPositions: UnsafeMutableBufferPointer<Double>
    private var owned: [UnsafeMutableBufferPointer<Double>] = []

    init(capacity: Int, positions: [Double]) {
        let oversampledCapacity = positions.count
        var owned: [UnsafeMutableBufferPointer<Double>] = []
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, count))
            b.initialize(repeating: 0)
            owned.append(b)
            return b
        }
        samples = ColumnSamples(rows: buffer(capacity), values: buffer(capacity))
        residuals = ColumnSamples(rows: buffer(capacity), values: buffer(capacity))
        alphas = ColumnSamples(rows: buffer(capacity), values: buffer(capacity))
        errors = ColumnSamples(rows: buffer(capacity), values: buffer(capacity))
        linear = buffer(oversampledCapacity)
        residual = buffer(oversampledCapacity)
        alpha = buffer(oversampledCapacity)
        error = buffer(oversampledCapacity)
        value = buffer(oversampledCapacity)
        trace = buffer(oversampledCapacity)
        spline = buffer(oversampledCapacity)
        use = .allocate(capacity: max(1, oversampledCapacity))
        use.initialize(repeating: .linear)
        rowPositions = buffer(oversampledCapacity)
        _ = rowPositions.update(fromContentsOf: positions)
        self.owned = owned
    }

    /// The positions of oversampled rows `k0 ..< k0 + count`.
    func positions(_ k0: Int, _ count: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: rowPositions[k0..<(k0 + count)])
    }

    deinit {
        for b in owned { b.deallocate() }
        use.deallocate()
    }
}

/// How an oversampled pixel gets its value.
enum PixelSource: UInt8 {
    /// Linear interpolation.
    case linear
    /// The spline is valid here but no compact source is: linear interpolation.
    case splineValid
    /// Compact source: spline plus interpolated residual, and the TRACEMODEL value.
    case compact
    /// Flank beside a compact source: spline plus interpolated residual, for flux conservation.
    case margin
}
