import Foundation
import Numerics

/// ASSET-style extraction of a point source from the dithers of one slit: the spectrum z, a chromatic PSF law,
/// each dither's trace offset, tilt and flux scale, and a background shared by the dithers, fitted together by
/// alternating an exact banded solve for z (and the background) with NLopt fits of the nonlinear parameters,
/// while rejecting pixels the model cannot explain (unflagged cosmic rays, bad pixels).
public enum SlitExtractor {
    public static func extract(_ frames: [SlitFrame], options: ExtractionOptions = ExtractionOptions()) throws(SlitExtractionError) -> ExtractionResult {
        guard let first = frames.first else { throw SlitExtractionError("no exposures to extract") }
        for f in frames where f.length != first.length || f.cross != first.cross {
            throw SlitExtractionError("\(f.name) is \(f.length)x\(f.cross) pixels but \(first.name) is \(first.length)x\(first.cross): dithers of one slit must share the cut-out")
        }
        for f in frames where !f.weight.contains(where: { $0 > 0 }) {
            throw SlitExtractionError("\(f.name): all pixels are flagged, NaN or have no variance")
        }
        for f in frames where !f.wavelength.contains(where: { $0 > 0 }) {
            throw SlitExtractionError("\(f.name): WAVELENGTH holds no valid wavelength")
        }
        let grid = try WavelengthGrid(frames: frames)
        var traces: [TraceEstimate] = []
        for f in frames { traces.append(try TraceLocator.locate(f)) }
        let sigma0 = RobustStatistics.median(traces.map(\.sigma)) ?? 1
        var frames = frames
        if frames.allSatisfy(\.nodSubtracted) {
            // Beyond 6σ (plus the ±1.5 px the offset fit may move a trace) a negative trace leaves nothing.
            frames = NegativeTraceMask.apply(frames, traces: traces, reach: 6 * sigma0 + 1.5)
        }

        let pixels = PixelTable(frames: frames, grid: grid)
        guard pixels.count > 0 else { throw SlitExtractionError("\(first.name): no usable pixel has a wavelength inside the spectrum") }
        let n = grid.count, count = frames.count, length = first.length
        let reference = traces[0].reference
        let baseRho = (0..<pixels.count).map { p in Double(pixels.row[p]) - traces[Int(pixels.frame[p])].centre(at: Double(pixels.column[p])) }
        let along = pixels.column.map { Double($0) - reference }
        let lambdaMax = pixels.lambda.max()!, lambdaMid = grid.wavelengths[n / 2]
        var psf = ChromaticPSF(shape: options.psfShape, a: min(1, 0.5 * sigma0 * sigma0 / (lambdaMid * lambdaMid)),
                               b: max(1e-3, 0.5 * sigma0 * sigma0))
        var offsets = [Double](repeating: 0, count: count), slopes = offsets, scales = [Double](repeating: 1, count: count)
        var weight = pixels.weight
        let fitShifts = count > 1 && options.fitOffsets

        func rho(_ p: Int) -> Double { baseRho[p] - offsets[Int(pixels.frame[p])] - slopes[Int(pixels.frame[p])] * along[p] }
        func gains() -> [Double] {
            // A Gaussian is exactly negligible (< e^-50) beyond 10σ; skipping those pixels saves most erf calls.
            let reach = psf.shape == .gaussian ? 10 * psf.sigma(at: lambdaMax) : .infinity
            return (0..<pixels.count).map { p in
                let r = rho(p)
                return abs(r) > reach ? 0 : scales[Int(pixels.frame[p])] * psf.value(rho: r, lambda: pixels.lambda[p])
            }
        }
        // The smoothness weight is chosen afresh while the model still moves, then kept: a flat GCV curve would
        // otherwise let μ hop between neighbouring grid values and the alternation never settle.
        var settledSmoothing: SmoothingChoice?
        func solve(_ gain: [Double]) throws(SlitExtractionError) -> (SpectrumSolver, SpectrumSolver.Solution) {
            let solver = SpectrumSolver(pixels: pixels, weight: weight, gain: gain, gridCount: n, columns: length,
                                        fitBackground: options.fitBackground)
            guard let solution = (settledSmoothing ?? options.smoothing).solve(solver) else {
                throw SlitExtractionError("\(first.name): the spectrum is not constrained by the data (singular system)")
            }
            return (solver, solution)
        }
        func backgroundAt(_ solution: SpectrumSolver.Solution, _ p: Int) -> Double {
            let b = solution.background[Int(pixels.column[p])]
            return b[0] + b[1] * pixels.across[p]
        }

        var gain = gains()
        var (solver, solution) = try solve(gain)
        var previous = solution.z
        var iterations = 1
        var maskChanged = true
        while iterations < options.maxIterations {
            let interpolated = pixels.interpolate(solution.z, gridCount: n)
            // Outliers are judged only once the PSF has been fitted: a first-guess PSF misfits the trace core.
            if options.clipSigma > 0 && iterations > 1 {
                let residuals = (0..<pixels.count).map { p in
                    (pixels.data[p] - backgroundAt(solution, p) - gain[p] * interpolated[p]) * pixels.weight[p].squareRoot()
                }
                let scale = max(robustSigma(residuals), 1e-12)
                // Once the model has settled (smoothing fixed), rejections are final: pixels at the threshold would
                // otherwise flip in and out and the alternation cycle.
                let settled = settledSmoothing != nil
                let next = (0..<pixels.count).map { p in
                    abs(residuals[p]) > options.clipSigma * scale || (settled && weight[p] == 0) ? 0 : pixels.weight[p]
                }
                // A handful of pixels sitting at the threshold may flip back and forth; they do not move the spectrum.
                let flips = zip(next, weight).reduce(0) { $0 + (($1.0 == 0) != ($1.1 == 0) ? 1 : 0) }
                maskChanged = flips > max(2, pixels.count / 10_000)
                weight = next
            }
            let target = (0..<pixels.count).map { pixels.data[$0] - backgroundAt(solution, $0) }
            let amplitude = (0..<pixels.count).map { scales[Int(pixels.frame[$0])] * interpolated[$0] }
            let fits = ProfileFits(pixels: pixels, weight: weight, target: target, amplitude: amplitude,
                                   baseRho: baseRho, along: along)
            let window = max(4, (psf.shape == .gaussian ? 5 : 8) * psf.sigma(at: lambdaMax))
            if fitShifts {
                for f in 0..<count {
                    let subset = fits.nearTrace(offsets: offsets, slopes: slopes, window: window, frame: f)
                    (offsets[f], slopes[f]) = fits.fitOffset(frame: f, psf: psf, subset: subset, offset: offsets[f], slope: slopes[f], length: length)
                }
            }
            psf = fits.fitPSF(psf, subset: fits.nearTrace(offsets: offsets, slopes: slopes, window: window), offsets: offsets, slopes: slopes)
            if count > 1 && options.fitFrameScale {
                scales = frameScales(pixels: pixels, weight: weight, target: target, interpolated: interpolated, count: count) { p in
                    psf.value(rho: rho(p), lambda: pixels.lambda[p])
                }
            }
            gain = gains()
            if iterations >= 3 && settledSmoothing == nil { settledSmoothing = .fixed(solution.mu / solver.typicalCurvature) }
            (solver, solution) = try solve(gain)
            iterations += 1
            // Converged when no sample moves by more than a small fraction of its own uncertainty.
            var change = 0.0
            for i in 0..<n where solution.variance[i] > 0 {
                change = max(change, abs(solution.z[i] - previous[i]) / solution.variance[i].squareRoot())
            }
            previous = solution.z
            if iterations > 2 && !maskChanged && change < options.tolerance { break }
        }
        return assemble(frames: frames, grid: grid, pixels: pixels, weight: weight, solver: solver, solution: solution, psf: psf,
                        traces: traces, offsets: offsets, slopes: slopes, scales: scales, iterations: iterations, options: options)
    }

    /// Median absolute deviation scaled to a Gaussian σ, on a scratch copy (the generic version converts every
    /// element and costs a fifth of an extraction).
    private static func robustSigma(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 1 }
        var scratch = values
        let median = RobustStatistics.medianInPlace(&scratch)
        for i in scratch.indices { scratch[i] = abs(values[i] - median) }
        return 1.4826 * RobustStatistics.medianInPlace(&scratch)
    }

    /// Per-dither flux scales α (least squares of the data on the model), normalised to a mean of 1 so that the
    /// spectrum carries the absolute flux.
    private static func frameScales(pixels: PixelTable, weight: [Double], target: [Double], interpolated: [Double], count: Int,
                                    profile: (Int) -> Double) -> [Double] {
        var num = [Double](repeating: 0, count: count), den = num
        for p in 0..<pixels.count where weight[p] > 0 {
            let m = profile(p) * interpolated[p], f = Int(pixels.frame[p])
            num[f] += weight[p] * target[p] * m
            den[f] += weight[p] * m * m
        }
        let raw = zip(num, den).map { $1 > 0 ? $0 / $1 : 1 }
        let mean = raw.reduce(0, +) / Double(count)
        return mean > 0 ? raw.map { $0 / mean } : [Double](repeating: 1, count: count)
    }

    private static func assemble(frames: [SlitFrame], grid: WavelengthGrid, pixels: PixelTable, weight: [Double], solver: SpectrumSolver,
                                 solution: SpectrumSolver.Solution, psf: ChromaticPSF, traces: [TraceEstimate], offsets: [Double],
                                 slopes: [Double], scales: [Double], iterations: Int, options: ExtractionOptions) -> ExtractionResult {
        let length = frames[0].length, n = grid.count
        let reference = traces[0].reference
        func centre(_ f: Int, _ k: Int) -> Double { traces[f].centre(at: Double(k)) + offsets[f] + slopes[f] * (Double(k) - reference) }
        func background(at y: Double, _ k: Int) -> Double {
            let b = solution.background[k]
            return b[0] + b[1] * (y / Double(max(1, frames[0].cross - 1)) - 0.5)
        }
        func background(_ j: Int, _ k: Int) -> Double { background(at: Double(j), k) }
        var counts = [Int](repeating: 0, count: n)
        var rejected = frames.map { [Bool](repeating: false, count: $0.data.count) }
        var rejectedCounts = [Int](repeating: 0, count: frames.count)
        for p in 0..<pixels.count {
            let f = Int(pixels.frame[p]), k = Int(pixels.column[p]), j = Int(pixels.row[p])
            if weight[p] == 0 {
                rejected[f][j * length + k] = true
                rejectedCounts[f] += 1
            } else if abs(Double(j) - centre(f, k)) <= 3 * psf.sigma(at: pixels.lambda[p]) {
                counts[k] += 1
            }
        }
        var peak = 0.0
        for i in 0..<n { peak = max(peak, solver.schur.entry(i, i)) }
        let unconstrained = (0..<n).map { solver.schur.entry($0, $0) <= 1e-9 * peak }
        let model: [[Double]] = frames.enumerated().map { f, frame in
            (0..<frame.data.count).map { i in
                let j = i / length, k = i % length
                guard frame.wavelength[i] > 0, let u = grid.index(of: frame.wavelength[i]) else { return background(j, k) }
                let z = interpolate(solution.z, at: u)
                return scales[f] * psf.value(rho: Double(j) - centre(f, k), lambda: frame.wavelength[i]) * z + background(j, k)
            }
        }
        let trace = frames.indices.map { f in (0..<n).map { centre(f, $0) } }
        let backgroundAtTrace = (0..<n).map { k in
            frames.indices.map { background(at: centre($0, k), k) }.reduce(0, +) / Double(frames.count)
        }
        let box = BoxExtraction.extract(frames: frames, background: background, centre: centre, halfWidth: options.boxHalfWidth)
        let dof = Double(solver.pixelCount) - solution.effectiveParameters
        var result = ExtractionResult(
            wavelength: grid.wavelengths, flux: solution.z, fluxError: solution.variance.map { $0.squareRoot() },
            boxFlux: box.flux, boxFluxError: box.error, pixelCount: counts, unconstrained: unconstrained, psf: psf,
            sampleColumns: Array(0..<n), backgroundAtTrace: backgroundAtTrace, trace: trace,
            traceCentres: (0..<frames.count).map { traces[$0].centre(at: reference) + offsets[$0] },
            traceTilts: slopes, referenceColumn: reference, frameScales: scales, rejectedCounts: rejectedCounts, rejected: rejected,
            model: model, smoothingWeight: solution.mu, smoothingRule: options.smoothing.label, iterations: iterations,
            reducedChiSquare: dof > 0 ? solution.residualSquare / dof : .nan)
        if grid.wavelengths[0] > grid.wavelengths[n - 1] { result.reverseSamples() }
        return result
    }

    /// Catmull-Rom interpolation of `z` at fractional index `u` (edge samples repeated), as `PixelTable` does.
    static func interpolate(_ z: [Double], at u: Double) -> Double {
        let n = z.count, base = Int(u.rounded(.down)), t = u - Double(base)
        let t2 = t * t, t3 = t2 * t
        let c = [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2]
        var s = 0.0
        for i in 0..<4 { s += c[i] * z[min(max(base - 1 + i, 0), n - 1)] }
        return s
    }
}

extension ExtractionResult {
    /// Puts the per-sample arrays in increasing wavelength, as x1d tables are.
    mutating func reverseSamples() {
        wavelength.reverse(); flux.reverse(); fluxError.reverse(); boxFlux.reverse(); boxFluxError.reverse()
        pixelCount.reverse(); unconstrained.reverse(); sampleColumns.reverse(); backgroundAtTrace.reverse()
        trace = trace.map { $0.reversed() }
    }
}
