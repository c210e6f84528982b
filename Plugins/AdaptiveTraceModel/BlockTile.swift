import Platform

/// Pointers to the value planes of the output, shared by the column workers (which write disjoint pixels), or of
/// a worker's block tile.
struct OutputPlanes: Sendable {
    var flux: SharedBuffer<Float>
    var trace: SharedBuffer<Float>
    var errors: [SharedBuffer<Float>]
    var wavelength: SharedBuffer<Float>?
    /// Empty, or the `intermediateCount` planes of `TraceIntermediates`: full spline, linear, residual.
    var intermediates: [SharedBuffer<Float>]
    var dq: SharedBuffer<UInt32>

    static let intermediateCount = 3

    /// Copies pixel `from` of `source` to pixel `to` of these planes.
    @inline(__always)
    func copy(_ to: Int, from source: OutputPlanes, _ from: Int) {
        flux[to] = source.flux[from]
        trace[to] = source.trace[from]
        for e in errors.indices { errors[e][to] = source.errors[e][from] }
        if let wavelength, let w = source.wavelength { wavelength[to] = w[from] }
        for p in intermediates.indices { intermediates[p][to] = source.intermediates[p][from] }
        dq[to] = source.dq[from]
    }

    /// Copies `count` consecutive pixels of every plane of `source`, from pixel `from`, to pixel `to` of these planes.
    func copy(_ count: Int, to: Int, from source: OutputPlanes, _ from: Int) {
        func run<T>(_ target: SharedBuffer<T>, _ origin: SharedBuffer<T>) {
            (target.base.baseAddress! + to).update(from: origin.base.baseAddress! + from, count: count)
        }
        run(flux, source.flux)
        run(trace, source.trace)
        for e in errors.indices { run(errors[e], source.errors[e]) }
        if let wavelength, let w = source.wavelength { run(wavelength, w) }
        for p in intermediates.indices { run(intermediates[p], source.intermediates[p]) }
        run(dq, source.dq)
    }
}

/// A worker's block of output columns, stored row by row (`index(column, k) = k * width + column`): each column is
/// filled at its oversampled rows, then the whole block is copied to the output. Writing a column of a row-major
/// plane directly would touch one cache line per row at a stride of a whole row, which maps every access to the
/// same few cache sets; here a column's rows are consecutive cache lines and a block row is one line.
final class BlockTile {
    let planes: OutputPlanes
    /// Columns per tile row.
    let width: Int
    private let floats: [UnsafeMutableBufferPointer<Float>]
    private let dq: UnsafeMutableBufferPointer<UInt32>

    init(columns: Int, rows: Int, errorPlanes: Int, wavelength: Bool, intermediates: Int) {
        let count = columns * rows
        let waveIndex = 2 + errorPlanes, intermediateStart = waveIndex + (wavelength ? 1 : 0)
        floats = (0..<(intermediateStart + intermediates)).map { _ in .allocate(capacity: count) }
        dq = .allocate(capacity: count)
        planes = OutputPlanes(
            flux: SharedBuffer(floats[0]), trace: SharedBuffer(floats[1]),
            errors: floats[2..<waveIndex].map { SharedBuffer($0) },
            wavelength: wavelength ? SharedBuffer(floats[waveIndex]) : nil,
            intermediates: floats[intermediateStart...].map { SharedBuffer($0) }, dq: SharedBuffer(dq))
        width = columns
    }

    /// Sets every value plane to NaN (DQ is left to the caller).
    func clearValues() {
        for f in floats { f.update(repeating: .nan) }
    }

    @inline(__always)
    func index(_ column: Int, _ k: Int) -> Int { k &* width &+ column }

    deinit {
        for f in floats { f.deallocate() }
        dq.deallocate()
    }
}
