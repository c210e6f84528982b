import Foundation
import Numerics

/// What happened to one line.
public enum LineOutcome: Sendable, Equatable {
    /// Fitted with every frequency of the apodizer.
    case fitted
    /// Too few background samples for all frequencies: fitted with fewer (at least the line mean).
    case reduced
    /// No background sample: model 0, the line is left as it is.
    case empty
}

/// The NSClean fit of one detector line (NSClean paper §3.2–3.3): a weighted least-squares fit of the lowest
/// Fourier frequencies to the line's background samples, apodized and evaluated over the whole line.
///
/// Real formulation: the model is a0 + Σ_k (a_k cos θ_k m + b_k sin θ_k m), θ_k = 2πk/n, which is the
/// reference's complex fit with positive frequencies (notes B.5) without the complex arithmetic. Weights are
/// ρ⁻² (paper eq. 5), ρ being the local background-sample density: the line's background indicator
/// convolved with a Gaussian (σ = 32 px) *centred on the pixel* and normalised by the density of a fully sampled
/// line, i.e. by the part of the kernel that falls on the line (computed on 4-px bins, see `computeWeights`). (jwst 3.0.0 centres its kernel one pixel off, which takes each line's
/// densities from the previous line and makes a line that follows a fully masked one blow up; notes B.5.1.)
/// The normal equations need only weighted sums Σ w cos/sin(θ_j m) for j ≤ 2(K−1), which two real FFTs of
/// the line give at once; the (2K−1)² system is solved by Cholesky (LAPACK) after Jacobi scaling.
public final class LineFitter: Sendable {
    /// Values per line: detector pixels, or bins of `binning` pixels.
    public let lineLength: Int
    /// Detector pixels per value: 1 for the fit itself; more for a coarse fit of bin means, whose `background`
    /// entries then count the background pixels behind each mean (0…binning) and weigh it accordingly.
    public let binning: Int
    public let apodizer: Apodizer
    /// Background samples further than this many MAD-sigmas from the line median are left out of the fit.
    public let clipSigma: Double

    /// Ridge added to the unit diagonal of the scaled normal equations. A well-sampled line has eigenvalues of
    /// order 1, so its coefficients shrink by ~0.1 %; a line whose samples leave a gap of hundreds of pixels has
    /// near-null directions, which would otherwise send the model to many times the noise inside the gap.
    static let ridge = 1e-3
    /// Background samples a fully sampled line's median and MAD are taken from (see `selectSamples`).
    static let statisticsSamples = 256
    /// Pixels per bin of the density computation (see `computeWeights`).
    static let densityBin = FourPixelBins.width

    private let lineFFT: RealFFT
    private let densityFFT: RealFFT
    /// Real transfer function of the density kernel, divided by the padded length (the inverse is unnormalised).
    private let kernelGain: [Double]
    /// The unnormalised density of a fully sampled line at each pixel, which normalises every other line's.
    private let kernelCoverage: [Double]

    /// - Parameters:
    ///   - lineLength: values per line (pixels, or bins of `binning` pixels).
    ///   - weightSigma: sigma of the density kernel in detector pixels.
    ///   - binning: detector pixels per value; a binned fit does not reject outliers (`clipSigma` must be 0).
    public init(lineLength: Int, fullFrameFrequencies: Int = 9, weightSigma: Double = 32, clipSigma: Double = 3, binning: Int = 1) {
        precondition(binning >= 1 && (binning == 1 || clipSigma == 0), "a binned fit cannot reject outliers among bin means")
        self.lineLength = lineLength
        self.binning = binning
        self.clipSigma = clipSigma
        apodizer = Apodizer(lineLength: lineLength * binning, fullFrameFrequencies: fullFrameFrequencies)
        lineFFT = RealFFT(count: lineLength)
        let bins = (lineLength + Self.densityBin - 1) / Self.densityBin
        let binSigma = weightSigma / Double(Self.densityBin * binning)
        let reach = min(bins, Int((4 * binSigma).rounded(.up)))
        // A multiple of 16 with small factors (576 for 2048-px lines): FFTW is much slower on odd lengths.
        let padded = 16 * RealFFT.fastLength(atLeast: (bins + reach + 16) / 16)
        let densityTransform = RealFFT(count: padded)
        densityFFT = densityTransform
        var wrapped = [Double](repeating: 0, count: padded)
        for j in 0...reach {
            let value = exp(-0.5 * Double(j * j) / (binSigma * binSigma))
            wrapped[j] = value
            if j > 0 { wrapped[padded - j] = value }
        }
        var spectrum = [Double](repeating: 0, count: densityTransform.spectrumLength)
        wrapped.withUnsafeMutableBufferPointer { w in spectrum.withUnsafeMutableBufferPointer { densityTransform.forward(w, into: $0) } }
        let gains = (0..<(padded / 2 + 1)).map { spectrum[2 * $0] / Double(padded) }
        kernelGain = gains
        // The density of a fully sampled line, by the same procedure, so that such a line has density 1 exactly.
        var ones = [Double](repeating: 1, count: lineLength)
        var coverage = [Double](repeating: 0, count: lineLength)
        ones.withUnsafeMutableBufferPointer { indicator in
            wrapped.withUnsafeMutableBufferPointer { scratch in
                spectrum.withUnsafeMutableBufferPointer { spectrumBuffer in
                    Self.sumBins(indicator, into: scratch)
                    Self.smoothBins(lineLength: lineLength, fft: densityTransform, gains: gains, padded: scratch, spectrum: spectrumBuffer)
                    coverage.withUnsafeMutableBufferPointer {
                        FourPixelBins.interpolate(UnsafeBufferPointer(rebasing: scratch[0..<bins]), into: $0)
                    }
                }
            }
        }
        kernelCoverage = coverage
    }

    /// Per-worker buffers, allocated once per worker and reused for every line. Raw buffers rather than arrays:
    /// the per-pixel loops of a fit then run without uniqueness or exclusivity checks.
    public final class Scratch {
        let samples: UnsafeMutableBufferPointer<Double>
        let weights: UnsafeMutableBufferPointer<Double>
        let weighted: UnsafeMutableBufferPointer<Double>
        let density: UnsafeMutableBufferPointer<Double>
        let padded: UnsafeMutableBufferPointer<Double>
        let densitySpectrum: UnsafeMutableBufferPointer<Double>
        let weightSpectrum: UnsafeMutableBufferPointer<Double>
        let dataSpectrum: UnsafeMutableBufferPointer<Double>
        let modelLine: UnsafeMutableBufferPointer<Double>
        let normal: UnsafeMutableBufferPointer<Double>
        let rhs: UnsafeMutableBufferPointer<Double>
        let scale: UnsafeMutableBufferPointer<Double>

        public init(for fitter: LineFitter) {
            let n = fitter.lineLength
            let p = 2 * fitter.apodizer.count - 1
            // The allocator's 16-byte alignment is what FFTW's SIMD plans need.
            func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
                b.initialize(repeating: 0)
                return b
            }
            samples = buffer(n)
            weights = buffer(n)
            weighted = buffer(n)
            density = buffer(n)
            padded = buffer(fitter.densityFFT.count)
            densitySpectrum = buffer(fitter.densityFFT.spectrumLength)
            weightSpectrum = buffer(fitter.lineFFT.spectrumLength)
            dataSpectrum = buffer(fitter.lineFFT.spectrumLength)
            modelLine = buffer(n)
            normal = buffer(p * p)
            rhs = buffer(p)
            scale = buffer(p)
        }

        deinit {
            for b in [
                samples, weights, weighted, density, padded, densitySpectrum, weightSpectrum, dataSpectrum, modelLine, normal, rhs, scale,
            ] {
                b.deallocate()
            }
        }
    }

    /// Fits one line. `values` and `background` hold the line's `lineLength` samples (background = 1 marks a
    /// usable background pixel, whose value must be finite; for a binned fitter, the number of background pixels
    /// behind the bin's mean); the model is written to `model`.
    public func fit(
        values: UnsafeBufferPointer<Float>, background: UnsafeBufferPointer<UInt8>,
        model: UnsafeMutableBufferPointer<Float>, scratch s: Scratch
    ) -> LineOutcome {
        let n = lineLength
        let kept = selectSamples(values: values, background: background, scratch: s)
        guard kept > 0 else {
            for m in 0..<n { model[m] = 0 }
            return .empty
        }
        // Fewer than 4 samples per free parameter would let the fit run wild in the gaps: fit fewer frequencies.
        // Likewise when the samples leave a gap longer than a quarter line: k cycles per line are only pinned
        // down if no gap exceeds ~1/k of the line (a gap at an end counts double, being an extrapolation).
        let gap = computeWeights(scratch: s)
        let gapLimit = gap > n / 4 ? max(1, n / gap) : apodizer.count
        let frequencies = min(apodizer.count, gapLimit, max(1, (kept / 4 + 1) / 2))
        // Per-pixel loops read the scratch buffers through locals: through the class the compiler reloads them
        // every iteration and does not vectorise.
        let weights = s.weights, weighted = s.weighted
        // A load under a condition also keeps a loop scalar: load first, then select.
        for m in 0..<n {
            let value = Double(values[m]), weight = weights[m]
            weighted[m] = weight > 0 ? weight * value : 0
        }
        lineFFT.forward(s.weights, into: s.weightSpectrum)
        lineFFT.forward(s.weighted, into: s.dataSpectrum)
        let solved = solve(frequencies: frequencies, scratch: s)
        synthesise(frequencies: solved, scratch: s)
        let modelLine = s.modelLine
        for m in 0..<n { model[m] = Float(modelLine[m]) }
        return solved == apodizer.count ? .fitted : .reduced
    }

    /// Marks the background samples to fit in `weights` (1 or 0, or a bin's share of background pixels) after
    /// rejecting outliers beyond `clipSigma` MAD-sigmas of the line median (cosmic rays, hot pixels the mask
    /// missed). Returns the number of background pixels kept.
    private func selectSamples(values: UnsafeBufferPointer<Float>, background: UnsafeBufferPointer<UInt8>, scratch s: Scratch) -> Int {
        let weights = s.weights
        if clipSigma <= 0 {
            // Each value stands for `background[m]` pixels: its share of a fully sampled value, and the pixels it counts.
            let share = 1 / Double(binning)
            var pixels = 0
            for m in 0..<lineLength {
                weights[m] = Double(background[m]) * share
                pixels &+= Int(background[m])
            }
            return pixels
        }
        // The clipping level needs the median and MAD only roughly: from the background pixels among every
        // `lineLength / statisticsSamples`-th pixel (≈ 256 on a fully sampled line) the median's standard error is
        // ≈ 1.25σ/√256 ≈ 0.08σ and the MAD's ≈ 5 %, small against a 3σ cut (meant for cosmic rays and hot pixels,
        // tens of sigma out), and the selections (branchy) cost a fraction of what all samples would. A line with
        // too few background pixels for that gives all of them.
        let stride = max(1, lineLength / Self.statisticsSamples)
        var count = gatherBackground(values: values, background: background, every: stride, into: s.samples)
        if count < Self.statisticsSamples / 4, stride > 1 {
            count = gatherBackground(values: values, background: background, every: 1, into: s.samples)
        }
        guard count > 0 else { return 0 }
        let samples = UnsafeMutableBufferPointer(rebasing: s.samples[0..<count])
        let median = RobustStatistics.medianInPlace(samples)
        for i in samples.indices { samples[i] = abs(samples[i] - median) }
        // A zero MAD (over half the samples equal) clips nothing rather than everything off the median.
        var limit = clipSigma * 1.4826 * RobustStatistics.medianInPlace(samples)
        if limit <= 0 { limit = .infinity }
        var kept = 0
        for m in 0..<lineLength {
            let deviation = abs(Double(values[m]) - median), flag = background[m]
            let use = flag != 0 && deviation <= limit
            weights[m] = use ? 1 : 0
            kept &+= use ? 1 : 0
        }
        return kept
    }

    /// Stores the background values among every `step`-th pixel at the start of `samples`; returns how many.
    private func gatherBackground(
        values: UnsafeBufferPointer<Float>, background: UnsafeBufferPointer<UInt8>, every step: Int,
        into samples: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        var count = 0
        // Every value is stored and only the background ones kept (the store index advances for them): no branch
        // to mispredict where background and signal alternate. `samples` has room for the whole line.
        for m in Swift.stride(from: 0, to: lineLength, by: step) {
            samples[count] = Double(values[m])
            count &+= background[m] != 0 ? 1 : 0
        }
        return count
    }

    /// The longest run of the line without a sample in `indicator` (> 0 marks one), runs touching an end counted twice,
    /// found from the bin sums `binned`: only the bins that hold a sample are looked into. Gaps inside a bin
    /// (under 4 px) are not measured; only gaps of a quarter line and more change the fit.
    private func longestGap(_ indicator: UnsafeMutableBufferPointer<Double>, binned: UnsafeMutableBufferPointer<Double>) -> Int {
        let bins = (lineLength + Self.densityBin - 1) / Self.densityBin
        var longest = 0, previous = -1
        for b in 0..<bins where binned[b] > 0 {
            let pixels = (b &* Self.densityBin)..<min(lineLength, (b &+ 1) &* Self.densityBin)
            guard let first = pixels.first(where: { indicator[$0] > 0 }), let last = pixels.last(where: { indicator[$0] > 0 }) else {
                continue
            }
            let run = first &- previous &- 1
            longest = max(longest, previous < 0 ? 2 &* run : run)
            previous = last
        }
        return max(longest, 2 &* (lineLength &- 1 &- previous))
    }

    /// Turns the sample indicator in `weights` (1 or 0, or a bin's share of background pixels) into ρ⁻² times that
    /// share on the samples (0 elsewhere); returns the longest gap between samples (`longestGap`).
    ///
    /// The density is computed on bins of `densityBin` pixels and interpolated linearly back: against a σ = 32 px
    /// kernel the binning widens it by 0.02 px and the interpolation errs by < 0.3 %, while the transforms
    /// shrink from 2304 to 576 points (they were half of a line's FFT time).
    private func computeWeights(scratch s: Scratch) -> Int {
        let bins = (lineLength + Self.densityBin - 1) / Self.densityBin
        let indicator = UnsafeMutableBufferPointer(rebasing: s.weights[0..<lineLength])
        Self.sumBins(indicator, into: s.padded)
        let gap = longestGap(indicator, binned: s.padded)
        Self.smoothBins(lineLength: lineLength, fft: densityFFT, gains: kernelGain, padded: s.padded, spectrum: s.densitySpectrum)
        FourPixelBins.interpolate(UnsafeBufferPointer(rebasing: s.padded[0..<bins]), into: s.density)
        let weights = s.weights, smoothed = s.density
        kernelCoverage.withUnsafeBufferPointer { coverage in
            // ρ⁻² = (coverage / smoothed)², times the value's share (1 for a pixel): one division. Branch-free so that
            // it vectorises; values without a sample may have density 0, whose infinite weight the select discards.
            for m in 0..<lineLength {
                let inverse = coverage[m] / smoothed[m], share = weights[m]
                weights[m] = share > 0 ? share * inverse * inverse : 0
            }
        }
        return gap
    }

    /// Sums `indicator` over bins of `densityBin` (4) pixels into `bins`.
    private static func sumBins(_ indicator: UnsafeMutableBufferPointer<Double>, into bins: UnsafeMutableBufferPointer<Double>) {
        let n = indicator.count, whole = n / densityBin
        for b in 0..<whole {
            let m = b &* densityBin
            bins[b] = (indicator[m] + indicator[m &+ 1]) + (indicator[m &+ 2] + indicator[m &+ 3])
        }
        if whole &* densityBin < n { bins[whole] = indicator[(whole &* densityBin)..<n].reduce(0, +) }
    }

    /// Convolves the bin sums at the start of `padded` (zero beyond the last bin) with the kernel whose transfer
    /// function is `gains`.
    private static func smoothBins(
        lineLength: Int, fft: RealFFT, gains: [Double],
        padded: UnsafeMutableBufferPointer<Double>, spectrum: UnsafeMutableBufferPointer<Double>
    ) {
        let bins = (lineLength + densityBin - 1) / densityBin
        for b in bins..<fft.count { padded[b] = 0 }
        fft.forward(padded, into: spectrum)
        for k in 0..<gains.count {
            spectrum[2 &* k] *= gains[k]
            spectrum[2 &* k &+ 1] *= gains[k]
        }
        fft.inverse(spectrum, into: padded)
    }

    /// Builds and solves the normal equations for `frequencies` frequencies; returns how many it could use
    /// (fewer when the system is singular), leaving the coefficients in `rhs` (a0, a1, b1, a2, b2, …).
    private func solve(frequencies: Int, scratch s: Scratch) -> Int {
        // Weighted sums: C_j = Σ w cos θ_j m = Re W_j, S_j = Σ w sin θ_j m = −Im W_j (FFTW's e^{−iθ} convention).
        func c(_ j: Int) -> Double { s.weightSpectrum[2 * abs(j)] }
        func sn(_ j: Int) -> Double { j >= 0 ? -s.weightSpectrum[2 * j + 1] : s.weightSpectrum[2 * -j + 1] }
        var k = frequencies
        while k >= 1 {
            let p = 2 * k - 1
            // Parameter i ↦ (frequency, isSine): 0 ↦ (0, cos); 2f−1 ↦ (f, cos); 2f ↦ (f, sin).
            func term(_ i: Int) -> (Int, Bool) { i == 0 ? (0, false) : ((i + 1) / 2, i % 2 == 0) }
            for i in 0..<p {
                let (a, sa) = term(i)
                for j in 0..<p {
                    let (b, sb) = term(j)
                    let value: Double
                    switch (sa, sb) {
                    case (false, false): value = 0.5 * (c(a - b) + c(a + b))
                    case (true, true): value = 0.5 * (c(a - b) - c(a + b))
                    case (false, true): value = 0.5 * (sn(a + b) + sn(b - a))
                    case (true, false): value = 0.5 * (sn(a + b) + sn(a - b))
                    }
                    s.normal[i * p + j] = value
                }
                s.rhs[i] = sa ? -s.dataSpectrum[2 * a + 1] : s.dataSpectrum[2 * a]
            }
            if choleskySolve(size: p, scratch: s) { return k }
            if k == 1 { break }
            k /= 2
        }
        s.rhs[0] = 0
        return 1
    }

    /// Jacobi-scaled Cholesky solve of the p×p system in `normal`/`rhs`; false when it is numerically singular.
    private func choleskySolve(size p: Int, scratch s: Scratch) -> Bool {
        for i in 0..<p {
            let d = s.normal[i * p + i]
            guard d > 0, d.isFinite else { return false }
            s.scale[i] = 1 / d.squareRoot()
        }
        for i in 0..<p {
            for j in 0..<p { s.normal[i * p + j] *= s.scale[i] * s.scale[j] }
            s.rhs[i] *= s.scale[i]
            s.normal[i * p + i] += Self.ridge
        }
        guard (try? LinearAlgebra.solveSPD(s.normal.baseAddress!, s.rhs.baseAddress!, n: p)) != nil else { return false }
        for i in 0..<p {
            s.rhs[i] *= s.scale[i]
            if !s.rhs[i].isFinite { return false }
        }
        return true
    }

    /// Evaluates the apodized model over the whole line into `modelLine` with one inverse FFT.
    private func synthesise(frequencies k: Int, scratch s: Scratch) {
        for i in 0..<s.dataSpectrum.count { s.dataSpectrum[i] = 0 }
        s.dataSpectrum[0] = apodizer.gains[0] * s.rhs[0]
        if k > 1 {
            for f in 1..<k {
                // X_f = g_f (a_f − i b_f) / 2, so that the unnormalised inverse gives a_f cos + b_f sin.
                s.dataSpectrum[2 * f] = apodizer.gains[f] * s.rhs[2 * f - 1] / 2
                s.dataSpectrum[2 * f + 1] = -apodizer.gains[f] * s.rhs[2 * f] / 2
            }
        }
        lineFFT.inverse(s.dataSpectrum, into: s.modelLine)
    }
}
