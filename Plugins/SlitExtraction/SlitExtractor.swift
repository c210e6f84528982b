import Foundation
import Numerics

/// ASSET-style extraction of a point source from the dithers of one slit: the spectrum z, a chromatic PSF law,
/// each dither's trace offset, tilt and flux scale, and a background shared by the dithers, fitted together by
/// alternating an exact banded solve for z (and the background) with NLopt fits of the nonlinear parameters,
/// while rejecting pixels the model cannot explain (unflagged cosmic rays, bad pixels).
public enum SlitExtractor {
    public static func extract(_ frames: [SlitFrame], options: ExtractionOptions = ExtractionOptions()) throws(SlitExtractionError)
        -> ExtractionResult
    {
        guard let first = frames.first else { throw SlitExtractionError("no exposures to extract") }
        for f in frames where f.length != first.length || f.cross != first.cross {
            throw SlitExtractionError(
                "\(f.name) is \(f.length)x\(f.cross) pixels but \(first.name) is \(first.length)x\(first.cross): dithers of one slit must share the cut-out"
            )
        }
        for f in frames where !f.weight.contains(where: { $0 > 0 }) {
            throw SlitExtractionError("\(f.name): all pixels are flagged, NaN or have no variance")
        }
        for f in frames where !f.wavelength.contains(where: { $0 > 0 }) {
            throw SlitExtractionError("\(f.name): WAVELENGTH holds no valid wavelength")
        }
        let grid = try WavelengthGrid(frames: frames)
        guard first.cross >= TraceLocator.minimumRows else { throw tooShort(first, needed: Double(TraceLocator.minimumRows)) }
        let (frames, traces, placedFromHeaders) = try locateTraces(frames, placement: options.tracePlacement)
        let sigma0 = RobustStatistics.median(traces.map(\.sigma)) ?? 1
        // The profile's ±3σ core (99.7 % of the flux) and two rows beside it for the background's level and slope.
        guard Double(first.cross) >= 6 * sigma0 + 2 else { throw tooShort(first, needed: 6 * sigma0 + 2, sigma: sigma0) }
        let mixing = NodMixing(frames: frames)

        let pixels = PixelTable(frames: frames, grid: grid)
        guard pixels.count > 0 else { throw SlitExtractionError("\(first.name): no usable pixel has a wavelength inside the spectrum") }
        let n = grid.count, count = frames.count, length = first.length
        let reference = traces[0].reference
        let initialCentre = traces.map { t in (0..<length).map { t.centre(at: Double($0)) } }
        let baseRho = (0..<pixels.count).map { p in Double(pixels.row[p]) - initialCentre[Int(pixels.frame[p])][Int(pixels.column[p])] }
        let along = pixels.column.map { Double($0) - reference }
        let lambdaMax = pixels.lambda.max()!, lambdaMid = grid.wavelengths[n / 2]
        var psf = ChromaticPSF(
            shape: options.psfShape, a: min(1, 0.5 * sigma0 * sigma0 / (lambdaMid * lambdaMid)),
            b: max(1e-3, 0.5 * sigma0 * sigma0))
        var offsets = [Double](repeating: 0, count: count), slopes = offsets, scales = [Double](repeating: 1, count: count)
        var weight = pixels.weight
        let fitShifts = count > 1 && options.fitOffsets

        /// Cross-slit distance of pixel p to trace g (its own dither's or, nod-subtracted, another nod's).
        func rho(_ p: Int, trace g: Int) -> Double {
            Double(pixels.row[p]) - initialCentre[g][Int(pixels.column[p])] - offsets[g] - slopes[g] * along[p]
        }
        // A Gaussian is exactly negligible (< e^-50) beyond 10σ; skipping those pixels saves most erf calls.
        func reach() -> Double { psf.shape == .gaussian ? 10 * psf.sigma(at: lambdaMax) : .infinity }
        /// α h of pixel p summed over the traces in its dither other than its own, with their nod weights.
        func otherTraces(_ p: Int, within limit: Double) -> Double {
            let f = Int(pixels.frame[p])
            var sum = 0.0
            for g in mixing.sources[f] where g != f {
                let r = rho(p, trace: g)
                if abs(r) <= limit { sum += mixing.weight(f, g) * scales[g] * psf.value(rho: r, lambda: pixels.lambda[p]) }
            }
            return sum
        }
        func gains() -> [Double] {
            let limit = reach()
            return (0..<pixels.count).map { p in
                let f = Int(pixels.frame[p]), r = rho(p, trace: f)
                let own = abs(r) > limit ? 0 : scales[f] * psf.value(rho: r, lambda: pixels.lambda[p])
                return own + otherTraces(p, within: limit)
            }
        }
        // The smoothness weight is chosen afresh while the model still moves, then kept: a flat GCV curve would
        // otherwise let μ hop between neighbouring grid values and the alternation never settle.
        var settledSmoothing: SmoothingChoice?
        func solve(_ gain: [Double]) throws(SlitExtractionError) -> (SpectrumSolver, SpectrumSolver.Solution) {
            let solver = SpectrumSolver(
                pixels: pixels, weight: weight, gain: gain, gridCount: n, columns: length,
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
            // The profile fits see each dither's own trace: the other nods' traces, at the current parameters, are
            // taken out of the data they fit.
            let limit = reach()
            let target = (0..<pixels.count).map { pixels.data[$0] - backgroundAt(solution, $0) }
            let ownTarget =
                mixing.subtracted
                ? (0..<pixels.count).map { target[$0] - otherTraces($0, within: limit) * interpolated[$0] } : target
            let amplitude = (0..<pixels.count).map { scales[Int(pixels.frame[$0])] * interpolated[$0] }
            let fits = ProfileFits(
                pixels: pixels, weight: weight, target: ownTarget, amplitude: amplitude,
                baseRho: baseRho, along: along)
            let window = max(4, (psf.shape == .gaussian ? 5 : 8) * psf.sigma(at: lambdaMax))
            if fitShifts {
                for f in 0..<count {
                    let subset = fits.nearTrace(offsets: offsets, slopes: slopes, window: window, frame: f)
                    (offsets[f], slopes[f]) = fits.fitOffset(
                        frame: f, psf: psf, subset: subset, offset: offsets[f], slope: slopes[f], length: length)
                }
            }
            psf = fits.fitPSF(
                psf, subset: fits.nearTrace(offsets: offsets, slopes: slopes, window: window), offsets: offsets, slopes: slopes)
            if count > 1 && options.fitFrameScale {
                scales = frameScales(pixels: pixels, weight: weight, target: target, interpolated: interpolated, mixing: mixing) { p, g in
                    psf.value(rho: rho(p, trace: g), lambda: pixels.lambda[p])
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
        return assemble(
            frames: frames, grid: grid, pixels: pixels, weight: weight, solver: solver, solution: solution, psf: psf,
            mixing: mixing, traces: traces, placedFromHeaders: placedFromHeaders, offsets: offsets, slopes: slopes, scales: scales,
            iterations: iterations, options: options)
    }

    private static func tooShort(_ frame: SlitFrame, needed: Double, sigma: Double? = nil) -> SlitExtractionError {
        let profile = sigma.map { String(format: " for a profile of σ = %.2f px (±3σ) and its background", $0) } ?? ""
        return SlitExtractionError(
            "\(frame.name): slit too short for the PSF model: \(frame.cross) rows across, \(Int(needed.rounded(.up))) needed\(profile)")
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

    /// Per-dither flux scales α (least squares of the data on the model, every trace of a dither scaled by its own
    /// nod's α), normalised to a mean of 1 so that the spectrum carries the absolute flux. `profile(p, g)` is the PSF
    /// of trace g at pixel p.
    private static func frameScales(
        pixels: PixelTable, weight: [Double], target: [Double], interpolated: [Double],
        mixing: NodMixing, profile: (Int, Int) -> Double
    ) -> [Double] {
        let count = mixing.count
        var normal = [Double](repeating: 0, count: count * count), rhs = [Double](repeating: 0, count: count)
        for p in 0..<pixels.count where weight[p] > 0 {
            let f = Int(pixels.frame[p])
            let terms = mixing.sources[f].map { g in (g, mixing.weight(f, g) * profile(p, g) * interpolated[p]) }
            for (g, m) in terms {
                rhs[g] += weight[p] * target[p] * m
                for (h, n) in terms { normal[g * count + h] += weight[p] * m * n }
            }
        }
        // A dither no pixel constrains keeps the scale 1.
        for g in 0..<count where normal[g * count + g] <= 0 {
            for h in 0..<count { normal[g * count + h] = 0; normal[h * count + g] = 0 }
            normal[g * count + g] = 1
            rhs[g] = 1
        }
        var raw = rhs
        do {
            try normal.withUnsafeMutableBufferPointer { a throws(LinearAlgebraError) in
                try raw.withUnsafeMutableBufferPointer { b throws(LinearAlgebraError) in
                    try LinearAlgebra.solveSPD(a.baseAddress!, b.baseAddress!, n: count)
                }
            }
        } catch { return [Double](repeating: 1, count: count) }
        let mean = raw.reduce(0, +) / Double(count)
        return mean > 0 && raw.allSatisfy({ $0 > 0 }) ? raw.map { $0 / mean } : [Double](repeating: 1, count: count)
    }

    /// Each dither's first trace: found on its own by `TraceLocator` or, for a source too faint for that or when
    /// `placement` says so, placed from the headers' nod pattern (`NodPlacement`) on nod differences (formed here when
    /// the inputs are not already nod-subtracted, so the sky, bar shadows included, cancels).
    private static func locateTraces(_ frames: [SlitFrame], placement: TracePlacement) throws(SlitExtractionError)
        -> (frames: [SlitFrame], traces: [TraceEstimate], fromHeaders: Bool)
    {
        func fromHeaders() throws(SlitExtractionError) -> ([SlitFrame], [TraceEstimate], Bool) {
            let differences = frames.allSatisfy(\.nodSubtracted) ? frames : NodDifference.apply(frames)
            return (differences, try NodPlacement.place(differences, mixing: NodMixing(frames: differences)), true)
        }
        let patterned = frames.count > 1 && frames.allSatisfy { $0.nodPosition != nil }
        if placement == .headers {
            guard patterned else {
                throw SlitExtractionError(
                    "\(frames[0].name): trace_placement=headers needs the nod pattern of MOS headers (SHUTSTA with 'x', SRCYPOS) in every nod"
                )
            }
            return try fromHeaders()
        }
        var traces: [TraceEstimate] = []
        do {
            for f in frames { traces.append(try TraceLocator.locate(f)) }
            return (frames, traces, false)
        } catch {
            guard patterned else { throw error }
            return try fromHeaders()
        }
    }

    private static func assemble(
        frames: [SlitFrame], grid: WavelengthGrid, pixels: PixelTable, weight: [Double], solver: SpectrumSolver,
        solution: SpectrumSolver.Solution, psf: ChromaticPSF, mixing: NodMixing, traces: [TraceEstimate], placedFromHeaders: Bool,
        offsets: [Double], slopes: [Double], scales: [Double], iterations: Int, options: ExtractionOptions
    ) -> ExtractionResult {
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
                let profile = mixing.sources[f].reduce(0.0) { sum, g in
                    sum + mixing.weight(f, g) * scales[g] * psf.value(rho: Double(j) - centre(g, k), lambda: frame.wavelength[i])
                }
                return profile * z + background(j, k)
            }
        }
        let trace = frames.indices.map { f in (0..<n).map { centre(f, $0) } }
        let backgroundAtTrace = (0..<n).map { k in
            frames.indices.map { background(at: centre($0, k), k) }.reduce(0, +) / Double(frames.count)
        }
        let box = BoxExtraction.extract(frames: frames, background: background, centre: centre, halfWidth: options.boxHalfWidth)
        let dof = Double(solver.pixelCount) - solution.effectiveParameters
        var result = ExtractionResult(
            wavelength: grid.wavelengths, flux: solution.z,
            fluxError: solution.variance.map { ($0 * mixing.varianceInflation).squareRoot() },
            boxFlux: box.flux, boxFluxError: box.error, pixelCount: counts, unconstrained: unconstrained, psf: psf,
            sampleColumns: Array(0..<n), backgroundAtTrace: backgroundAtTrace, trace: trace,
            traceCentres: (0..<frames.count).map { traces[$0].centre(at: reference) + offsets[$0] },
            traceTilts: slopes, referenceColumn: reference, frameScales: scales, rejectedCounts: rejectedCounts, rejected: rejected,
            model: model, smoothingWeight: solution.mu, smoothingRule: options.smoothing.label, iterations: iterations,
            reducedChiSquare: dof > 0 ? solution.residualSquare / dof : .nan, placedFromHeaders: placedFromHeaders)
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
