import CFFTW

/// A 1-D real-to-complex FFT of a fixed length (FFTW, double precision), shareable between threads.
///
/// The plans are made once (through `FFTPlanner`) and then executed on caller-owned buffers with FFTW's
/// new-array interface, which is thread-safe. Two sets are made: SIMD plans for 16-byte-aligned buffers (what
/// Swift arrays give) and `FFTW_UNALIGNED` plans, several times slower, for any other buffer.
/// Spectra are stored interleaved: bin k has its real part at `2k` and imaginary part at `2k+1`, k = 0…n/2,
/// so a spectrum buffer holds `spectrumLength = 2 * (n/2 + 1)` doubles. FFTW's sign convention: the forward
/// transform computes X[k] = Σ x[m] exp(−2πi km/n); the inverse is unnormalised (returns n × the signal).
public final class RealFFT: @unchecked Sendable {
    public let count: Int
    /// Number of doubles in an interleaved half spectrum.
    public var spectrumLength: Int { 2 * (count / 2 + 1) }

    private let forwardPlan: fftw_plan
    private let inversePlan: fftw_plan
    private let unalignedForwardPlan: fftw_plan
    private let unalignedInversePlan: fftw_plan

    /// Plans transforms of length `count` (> 0). Planning uses FFTW_ESTIMATE: it takes microseconds and the
    /// transforms here are too short for measured plans to pay off.
    public init(count: Int) {
        precondition(count > 0, "FFT length must be positive")
        self.count = count
        var real = [Double](repeating: 0, count: count)
        var spectrum = [Double](repeating: 0, count: 2 * (count / 2 + 1))
        let n = Int32(count)
        func plans(_ flags: UInt32) -> (fftw_plan, fftw_plan) {
            FFTPlanner.withLock {
                real.withUnsafeMutableBufferPointer { r in
                    spectrum.withUnsafeMutableBufferPointer { s in
                        s.withMemoryRebound(to: fftw_complex.self) { c in
                            (fftw_plan_dft_r2c_1d(n, r.baseAddress, c.baseAddress, flags)!,
                             fftw_plan_dft_c2r_1d(n, c.baseAddress, r.baseAddress, flags | UInt32(FFTW_DESTROY_INPUT))!)
                        }
                    }
                }
            }
        }
        (forwardPlan, inversePlan) = plans(UInt32(FFTW_ESTIMATE))
        (unalignedForwardPlan, unalignedInversePlan) = plans(UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED))
    }

    /// FFTW's SIMD plans need 16-byte alignment of both buffers.
    private static func aligned(_ a: UnsafeMutableBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>) -> Bool {
        Int(bitPattern: a.baseAddress) % 16 == 0 && Int(bitPattern: b.baseAddress) % 16 == 0
    }

    deinit {
        FFTPlanner.withLock {
            for plan in [forwardPlan, inversePlan, unalignedForwardPlan, unalignedInversePlan] { fftw_destroy_plan(plan) }
        }
    }

    /// Forward transform of `signal` (`count` values) into `spectrum` (`spectrumLength` values).
    public func forward(_ signal: UnsafeMutableBufferPointer<Double>, into spectrum: UnsafeMutableBufferPointer<Double>) {
        precondition(signal.count >= count && spectrum.count >= spectrumLength, "RealFFT buffers too short")
        spectrum.withMemoryRebound(to: fftw_complex.self) { c in
            fftw_execute_dft_r2c(Self.aligned(signal, spectrum) ? forwardPlan : unalignedForwardPlan, signal.baseAddress, c.baseAddress)
        }
    }

    /// Unnormalised inverse transform of `spectrum` into `signal`. The spectrum buffer is overwritten (FFTW's
    /// complex-to-real transforms use it as scratch).
    public func inverse(_ spectrum: UnsafeMutableBufferPointer<Double>, into signal: UnsafeMutableBufferPointer<Double>) {
        precondition(signal.count >= count && spectrum.count >= spectrumLength, "RealFFT buffers too short")
        spectrum.withMemoryRebound(to: fftw_complex.self) { c in
            fftw_execute_dft_c2r(Self.aligned(signal, spectrum) ? inversePlan : unalignedInversePlan, c.baseAddress, signal.baseAddress)
        }
    }

    /// The smallest length ≥ `n` whose only prime factors are 2, 3 and 5 (fast for FFTW).
    public static func fastLength(atLeast n: Int) -> Int {
        var candidate = max(1, n)
        while true {
            var m = candidate
            for p in [2, 3, 5] { while m % p == 0 { m /= p } }
            if m == 1 { return candidate }
            candidate += 1
        }
    }
}
