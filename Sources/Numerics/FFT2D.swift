import CFFTW

/// A planned two-dimensional complex FFT of a fixed size, on interleaved (re, im) double buffers, in place.
///
/// Plans are made once (through `FFTPlanner`) and executed on any buffer of the right size, from any thread:
/// `fftw_execute_dft` is thread-safe, and the plans are made `FFTW_UNALIGNED` so Swift arrays need no alignment.
/// The transforms are unnormalised: `inverse(forward(x)) = rows·columns·x`.
public final class FFT2D: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    private let forwardPlan: OpaquePointer
    private let inversePlan: OpaquePointer

    /// Plans both directions for an image of `rows`×`columns` complex values (row-major, columns fastest).
    public init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "FFT2D needs a positive size")
        self.rows = rows
        self.columns = columns
        let scratch = fftw_alloc_complex(rows * columns)!
        defer { fftw_free(scratch) }
        let flags = UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED)
        (forwardPlan, inversePlan) = FFTPlanner.withLock {
            (
                fftw_plan_dft_2d(Int32(rows), Int32(columns), scratch, scratch, FFTW_FORWARD, flags)!,
                fftw_plan_dft_2d(Int32(rows), Int32(columns), scratch, scratch, FFTW_BACKWARD, flags)!
            )
        }
    }

    deinit {
        FFTPlanner.withLock {
            fftw_destroy_plan(forwardPlan)
            fftw_destroy_plan(inversePlan)
        }
    }

    /// Number of doubles a buffer must hold: two per complex value.
    public var bufferCount: Int { 2 * rows * columns }

    /// Forward transform (exponent −2πi) of `data` in place.
    public func forward(_ data: UnsafeMutableBufferPointer<Double>) { execute(forwardPlan, data) }

    /// Inverse transform (exponent +2πi), unnormalised, of `data` in place.
    public func inverse(_ data: UnsafeMutableBufferPointer<Double>) { execute(inversePlan, data) }

    public func forward(_ data: inout [Double]) { data.withUnsafeMutableBufferPointer { forward($0) } }
    public func inverse(_ data: inout [Double]) { data.withUnsafeMutableBufferPointer { inverse($0) } }

    private func execute(_ plan: OpaquePointer, _ data: UnsafeMutableBufferPointer<Double>) {
        precondition(data.count >= bufferCount, "FFT2D buffer holds \(data.count) doubles, needs \(bufferCount)")
        let base = UnsafeMutableRawPointer(data.baseAddress!).assumingMemoryBound(to: fftw_complex.self)
        fftw_execute_dft(plan, base, base)
    }
}
