import CFFTW

/// A 1-D real-to-complex FFT of a fixed length (FFTW, double precision), shareable between threads.
///
/// The plans are made once (through `FFTPlanner`) and then executed on caller-owned buffers with FFTW's
/// new-array interface, which is thread-safe. SIMD plans serve 16-byte-aligned buffers (what Swift arrays and
/// allocations give); `FFTW_UNALIGNED` plans, several times slower, serve any other buffer and are made the first
/// time one comes: planning costs milliseconds per plan even with FFTW_ESTIMATE (most of a process's FFTW time
/// when it cleans one file), and most transforms never see an unaligned buffer.
/// Spectra are stored interleaved: bin k has its real part at `2k` and imaginary part at `2k+1`, k = 0…n/2,
/// so a spectrum buffer holds `spectrumLength = 2 * (n/2 + 1)` doubles. FFTW's sign convention: the forward
/// transform computes X[k] = Σ x[m] exp(−2πi km/n); the inverse is unnormalised (returns n × the signal).
public final class RealFFT: @unchecked Sendable {
    public let count: Int
    /// Number of doubles in an interleaved half spectrum.
    public var spectrumLength: Int { 2 * (count / 2 + 1) }

    private let forwardPlan: fftw_plan
    private let inversePlan: fftw_plan
    /// Made on first use; read and written only under `FFTPlanner`'s lock.
    private var unalignedPlans: (forward: fftw_plan, inverse: fftw_plan)?

    /// Plans transforms of length `count` (> 0). Planning uses FFTW_ESTIMATE, a few milliseconds per new length:
    /// measured plans take hundreds, and the transforms here are too short to repay them.
    public init(count: Int) {
        precondition(count > 0, "FFT length must be positive")
        self.count = count
        (forwardPlan, inversePlan) = FFTPlanner.withLock { Self.plans(count: count, flags: UInt32(FFTW_ESTIMATE)) }
    }

    /// A forward and an inverse plan, made on scratch buffers. Call with `FFTPlanner`'s lock held.
    private static func plans(count: Int, flags: UInt32) -> (forward: fftw_plan, inverse: fftw_plan) {
        var real = [Double](repeating: 0, count: count)
        var spectrum = [Double](repeating: 0, count: 2 * (count / 2 + 1))
        let n = Int32(count)
        return real.withUnsafeMutableBufferPointer { r in
            spectrum.withUnsafeMutableBufferPointer { s in
                s.withMemoryRebound(to: fftw_complex.self) { c in
                    (
                        fftw_plan_dft_r2c_1d(n, r.baseAddress, c.baseAddress, flags)!,
                        fftw_plan_dft_c2r_1d(n, c.baseAddress, r.baseAddress, flags | UInt32(FFTW_DESTROY_INPUT))!
                    )
                }
            }
        }
    }

    /// The plans for buffers that are not 16-byte aligned, made the first time they are needed.
    private func unaligned() -> (forward: fftw_plan, inverse: fftw_plan) {
        FFTPlanner.withLock {
            if let made = unalignedPlans { return made }
            let made = Self.plans(count: count, flags: UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED))
            unalignedPlans = made
            return made
        }
    }

    /// FFTW's SIMD plans need 16-byte alignment of both buffers.
    private static func aligned(_ a: UnsafeMutableBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>) -> Bool {
        Int(bitPattern: a.baseAddress) % 16 == 0 && Int(bitPattern: b.baseAddress) % 16 == 0
    }

    deinit {
        FFTPlanner.withLock {
            for plan in [forwardPlan, inversePlan] + [unalignedPlans?.forward, unalignedPlans?.inverse].compactMap({ $0 }) {
                fftw_destroy_plan(plan)
            }
        }
    }

    /// Forward transform of `signal` (`count` values) into `spectrum` (`spectrumLength` values).
    public func forward(_ signal: UnsafeMutableBufferPointer<Double>, into spectrum: UnsafeMutableBufferPointer<Double>) {
        precondition(signal.count >= count && spectrum.count >= spectrumLength, "RealFFT buffers too short")
        spectrum.withMemoryRebound(to: fftw_complex.self) { c in
            fftw_execute_dft_r2c(Self.aligned(signal, spectrum) ? forwardPlan : unaligned().forward, signal.baseAddress, c.baseAddress)
        }
    }

    /// Unnormalised inverse transform of `spectrum` into `signal`. The spectrum buffer is overwritten (FFTW's
    /// complex-to-real transforms use it as scratch).
    public func inverse(_ spectrum: UnsafeMutableBufferPointer<Double>, into signal: UnsafeMutableBufferPointer<Double>) {
        precondition(signal.count >= count && spectrum.count >= spectrumLength, "RealFFT buffers too short")
        spectrum.withMemoryRebound(to: fftw_complex.self) { c in
            fftw_execute_dft_c2r(Self.aligned(signal, spectrum) ? inversePlan : unaligned().inverse, c.baseAddress, signal.baseAddress)
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
