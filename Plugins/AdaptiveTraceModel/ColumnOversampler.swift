import Numerics
import Pipeline

/// Resamples every column of every region onto the N-times finer grid: linear interpolation everywhere, replaced
/// by the scaled spline plus the interpolated residual where a compact source is modelled; errors and variances
/// interpolated and inflated; DQ and REGIONS from the nearest native pixel (reference notes A.8). With N = 1 only
/// the trace model is made and the data are returned unchanged.
///
/// The planes are written once, in the input's detector layout: a streaming pass sets the background (what
/// `match_nans_and_flags` leaves outside the slices: NaN, DO_NOT_USE, DQ and REGIONS of the nearest native pixel),
/// then blocks of adjacent columns fill the slices, so a block's writes share cache lines even when the slice
/// axis is the slow one.
enum ColumnOversampler {
    /// Columns per block: 16 four-byte pixels fill one 64-byte cache line of a row.
    static let block = 16

    static func oversample(input: TraceModelInput, flux: [Float], offset: Double, spans: [RegionSpan], models: [RegionModel?],
                           compact: [CompactSource?], settings: TraceModelSettings) -> TraceModelOutput {
        if settings.oversample == 1 {
            return TraceModelOutput(layout: input.layout, flux: input.flux, error: input.error, variances: input.variances,
                                    dq: input.dq, wavelength: input.wavelength, regions: input.geometry.regions,
                                    trace: nativeTrace(input: input, offset: offset, spans: spans, models: models, compact: compact),
                                    modelledRegions: [], notes: [])
        }
        let n = settings.oversample
        let layout = input.layout.oversampled(n)
        let varianceNames = input.variances.keys.sorted()
        // Error-like planes: ERR first, then the variances (interpolated as standard deviations).
        let errorInputs: [ErrorPlane] = (input.error.map { [ErrorPlane(values: $0, isVariance: false)] } ?? [])
            + varianceNames.map { ErrorPlane(values: input.variances[$0]!, isVariance: true) }
        // Float planes: flux, trace, the error planes, then the wavelength if present.
        let floats = (0..<(2 + errorInputs.count + (input.wavelength == nil ? 0 : 1))).map { _ in PlaneBuffer<Float>(count: layout.count) }
        let dq = PlaneBuffer<UInt32>(count: layout.count), regions = PlaneBuffer<Int32>(count: layout.count)
        PlaneBuffer.withShared(floats) { f in
            PlaneBuffer.withShared([dq]) { d in
                PlaneBuffer.withShared([regions]) { r in
                    let planes = OutputPlanes(flux: f[0], trace: f[1], errors: Array(f[2..<(2 + errorInputs.count)]),
                                              wavelength: input.wavelength == nil ? nil : f[f.count - 1], dq: d[0], regions: r[0])
                    let job = Job(input: input, flux: flux, offset: offset, spans: spans, models: models, compact: compact,
                                  settings: settings, errorInputs: errorInputs, out: planes, layout: layout)
                    job.fillBackground()
                    Parallel.forEach((layout.width + block - 1) / block) { blocks in
                        var scratch = ColumnScratch(capacity: input.layout.height, oversampledCapacity: layout.height)
                        for b in blocks { job.fill(columns: (b * block)..<min(layout.width, (b + 1) * block), scratch: &scratch) }
                    }
                }
            }
        }
        let planes = floats.map(\.array)
        var variances: [String: [Float]] = [:]
        for (k, name) in varianceNames.enumerated() { variances[name] = planes[2 + (input.error == nil ? 0 : 1) + k] }
        return TraceModelOutput(layout: layout, flux: planes[0], error: input.error == nil ? nil : planes[2], variances: variances,
                                dq: dq.array, wavelength: input.wavelength == nil ? nil : planes[planes.count - 1],
                                regions: regions.array, trace: planes[1], modelledRegions: [], notes: [])
    }

    /// N = 1: the scaled spline at each modelled column's native pixels inside the compact-source window (first and
    /// last evaluated pixel of the column dropped), NaN elsewhere.
    static func nativeTrace(input: TraceModelInput, offset: Double, spans: [RegionSpan], models: [RegionModel?],
                            compact: [CompactSource?]) -> [Float] {
        let layout = input.layout, regions = input.geometry.regions, alpha = input.geometry.alpha
        var trace = [Float](repeating: .nan, count: layout.count)
        trace.withUnsafeMutableBufferPointer { pointer in
            let out = SharedBuffer(pointer)
            Parallel.forEach(spans.count, chunks: spans.count) { range in
                for s in range {
                    guard let model = models[s], let source = compact[s] else { continue }
                    let span = spans[s]
                    for c in 0..<span.columns.count where span.rowMin[c] >= 0 && model.hasModel(c) {
                        let x = span.columns.lowerBound + c
                        var first = -1, last = -1
                        for y in Int(span.rowMin[c])...Int(span.rowMax[c]) where regions[layout.index(x, y)] == span.id {
                            let i = layout.index(x, y)
                            let a = Double(alpha[i])
                            let v = model.profile(c, at: a)
                            guard v.isFinite else { continue }
                            if first < 0 { first = i }
                            last = i
                            if source.contains(a) { out[i] = Float(model.scale[c] * v + offset) }
                        }
                        if first >= 0 { out[first] = .nan; out[last] = .nan }
                    }
                }
            }
        }
        return trace
    }
}

/// One error-like input plane; variances are interpolated as standard deviations.
struct ErrorPlane: Sendable {
    var values: [Float]
    var isVariance: Bool
}

/// Pointers to the output planes, shared by the column workers (which write disjoint pixels).
struct OutputPlanes: Sendable {
    var flux: SharedBuffer<Float>
    var trace: SharedBuffer<Float>
    var errors: [SharedBuffer<Float>]
    var wavelength: SharedBuffer<Float>?
    var dq: SharedBuffer<UInt32>
    var regions: SharedBuffer<Int32>
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

/// Per-worker buffers: the column's samples and their values at the oversampled positions.
struct ColumnScratch {
    var samples, residuals, alphas, errors: ColumnSamples
    var linear, residual, alpha, error: [Double]
    /// Per oversampled position: linear value (NaN where not allowed), spline, spline + residual, and the choice.
    var value, trace, spline: [Double]
    var use: [PixelSource]

    init(capacity: Int, oversampledCapacity: Int) {
        samples = ColumnSamples(capacity: capacity)
        residuals = samples
        alphas = samples
        errors = samples
        linear = [Double](repeating: 0, count: oversampledCapacity)
        residual = linear
        alpha = linear
        error = linear
        value = linear
        trace = linear
        spline = linear
        use = [PixelSource](repeating: .linear, count: oversampledCapacity)
    }
}

/// Everything one oversampling run shares between its workers.
private struct Job: Sendable {
    let input: TraceModelInput
    let flux: [Float]
    let offset: Double
    let spans: [RegionSpan]
    let models: [RegionModel?]
    let compact: [CompactSource?]
    let settings: TraceModelSettings
    let errorInputs: [ErrorPlane]
    let out: OutputPlanes
    let layout: FrameLayout
    /// Native row nearest to each oversampled row.
    let nearest: [Int]
    let shift: Double
    /// Flux-density units: the N new pixels share the native pixel's flux.
    let fluxScale: Double

    init(input: TraceModelInput, flux: [Float], offset: Double, spans: [RegionSpan], models: [RegionModel?],
         compact: [CompactSource?], settings: TraceModelSettings, errorInputs: [ErrorPlane], out: OutputPlanes, layout: FrameLayout) {
        self.input = input
        self.flux = flux
        self.offset = offset
        self.spans = spans
        self.models = models
        self.compact = compact
        self.settings = settings
        self.errorInputs = errorInputs
        self.out = out
        self.layout = layout
        let n = settings.oversample, h = input.layout.height
        let shift = Double(n - 1) / Double(2 * n)
        self.shift = shift
        nearest = (0..<layout.height).map { k in min(h - 1, max(0, Int((Double(k) / Double(n) - shift).rounded()))) }
        fluxScale = input.fluxPerPixel ? 1 / Double(n) : 1
    }

    /// Every output pixel as `match_nans_and_flags` leaves the background: NaN, DO_NOT_USE added to the nearest
    /// native pixel's DQ, its REGIONS value. Streams through the planes in memory order, lines in parallel.
    func fillBackground() {
        let native = input.layout, dnu = DataQuality.doNotUse.rawValue
        let fast = layout.sliceAxisIsFast
        let lines = fast ? layout.width : layout.height, length = fast ? layout.height : layout.width
        let dqIn = input.dq, regionsIn = input.geometry.regions
        Parallel.forEach(lines) { range in
            for line in range {
                let base = line * length
                for i in 0..<length {
                    let (x, k) = fast ? (line, i) : (i, line)
                    let source = native.index(x, nearest[k]), o = base &+ i
                    out.dq[o] = dqIn[source] | dnu
                    out.regions[o] = regionsIn[source]
                    out.flux[o] = .nan
                    out.trace[o] = .nan
                    for e in out.errors { e[o] = .nan }
                    out.wavelength?[o] = .nan
                }
            }
        }
    }

    /// Fills the slice pixels of a block of adjacent columns, region by region (a pixel claimed by two regions'
    /// row ranges ends with the later region's values, as column by column).
    func fill(columns: Range<Int>, scratch: inout ColumnScratch) {
        for s in spans.indices where spans[s].columns.overlaps(columns) {
            for x in spans[s].columns.clamped(to: columns) { fill(x: x, span: s, scratch: &scratch) }
        }
    }

    private func fill(x: Int, span s: Int, scratch: inout ColumnScratch) {
        let native = input.layout, n = settings.oversample
        let span = spans[s], c = x - span.columns.lowerBound
        guard span.rowMin[c] >= 0 else { return }
        let regions = input.geometry.regions, alpha = input.geometry.alpha, dqIn = input.dq
        let dnu = DataQuality.doNotUse.rawValue, estimated = DataQuality.fluxEstimated.rawValue
        let y0 = Int(span.rowMin[c]), y1 = Int(span.rowMax[c])
        let model = models[s].flatMap { $0.hasModel(c) ? $0 : nil }
        let source = compact[s]
        scratch.samples.removeAll(); scratch.residuals.removeAll(); scratch.alphas.removeAll()
        for y in y0...y1 where regions[native.index(x, y)] == span.id {
            let i = native.index(x, y)
            let f = Double(flux[i]), a = Double(alpha[i])
            scratch.samples.append(y, f)
            scratch.alphas.append(y, a)
            if let model, f.isFinite { scratch.residuals.append(y, f - model.scale[c] * model.profile(c, at: a)) }
        }
        guard scratch.samples.count > 3 else { return }
        let k0 = y0 * n, count = (y1 - y0 + 1) * n
        scratch.samples.resample(k0: k0, n: n, shift: shift, positions: count, into: &scratch.linear)
        // The spline at the oversampled positions, trimmed at the column ends (NIRSpec).
        var firstSpline = -1, lastSpline = -1
        if let model, source != nil {
            scratch.alphas.resample(k0: k0, n: n, shift: shift, positions: count, linearEnds: true, into: &scratch.alpha)
            scratch.residuals.resample(k0: k0, n: n, shift: shift, positions: count, into: &scratch.residual)
            for j in 0..<count where model.covers(c, scratch.alpha[j]) {
                if firstSpline < 0 { firstSpline = j }
                lastSpline = j
            }
        }
        let addResidual = !settings.psfOptimal && scratch.residuals.count > 0
        // Per position: the linear value, and where the spline may be used, spline (+ residual); `use` marks the
        // compact-source pixels (spline used, TRACEMODEL written) and the spline's other valid positions.
        var peak = 0.0
        for j in 0..<count {
            let k = k0 + j, i = native.index(x, nearest[k])
            scratch.value[j] = j < n || j >= count - n || !flux[i].isFinite || regions[i] != span.id ? .nan : scratch.linear[j]
            scratch.use[j] = .linear
            guard let model, let source else { continue }
            let a = scratch.alpha[j]
            let trimmed = settings.trimEnds && (j < firstSpline + n || j > lastSpline - n)
            guard model.covers(c, a) && !trimmed else { continue }
            let spline = model.scale[c] * model.profile(c, at: a)
            guard spline.isFinite else { continue }
            scratch.trace[j] = spline
            scratch.spline[j] = addResidual && j >= n && j < count - n ? spline + scratch.residual[j] : spline
            if source.contains(a) {
                scratch.use[j] = .compact
                peak = max(peak, abs(spline))
            } else {
                scratch.use[j] = .splineValid
            }
        }
        if addResidual && peak > 0 { extendCompactRuns(count: count, peak: peak, scratch: &scratch) }
        for j in 0..<count {
            let k = k0 + j, i = native.index(x, nearest[k]), o = layout.index(x, k)
            var value = scratch.value[j]
            switch scratch.use[j] {
            case .compact:
                value = scratch.spline[j]
                out.trace[o] = Float((scratch.trace[j] + offset) * fluxScale)
            case .margin: value = scratch.spline[j]
            case .linear, .splineValid: break
            }
            if value.isFinite { value += offset }
            out.flux[o] = Float(value * fluxScale)
            out.dq[o] = value.isFinite && dqIn[i] & dnu != 0 ? (dqIn[i] & ~dnu) | estimated : dqIn[i]
        }
        // Errors and variances: interpolated as standard deviations, NaN where the nearest native value is not
        // finite (except at filled pixels), inflated by X (variances by X²).
        let inflation = settings.errorInflation * fluxScale
        for (e, plane) in errorInputs.enumerated() {
            scratch.errors.removeAll()
            for y in y0...y1 where regions[native.index(x, y)] == span.id {
                let v = Double(plane.values[native.index(x, y)])
                scratch.errors.append(y, plane.isVariance ? v.squareRoot() : v)
            }
            guard scratch.errors.count >= 3 else { continue }
            scratch.errors.resample(k0: k0, n: n, shift: shift, positions: count, into: &scratch.error)
            for j in 0..<count {
                let k = k0 + j, o = layout.index(x, k), i = native.index(x, nearest[k])
                let filled = out.dq[o] & estimated != 0 && dqIn[i] & estimated == 0
                guard plane.values[i].isFinite || filled, regions[i] == span.id else { continue }
                let sd = scratch.error[j] * inflation
                out.errors[e][o] = Float(plane.isVariance ? sd * sd : sd)
            }
        }
        if let wave = input.wavelength, let outWave = out.wavelength {
            scratch.errors.removeAll()
            for y in y0...y1 where regions[native.index(x, y)] == span.id { scratch.errors.append(y, Double(wave[native.index(x, y)])) }
            scratch.errors.resample(k0: k0, n: n, shift: shift, positions: count, linearEnds: true, into: &scratch.error)
            for j in 0..<count {
                let k = k0 + j, i = native.index(x, nearest[k])
                guard wave[i].isFinite, regions[i] == span.id else { continue }
                outWave[layout.index(x, k)] = Float(scratch.error[j])
            }
        }
        matchNansAndFlags(x: x, rows: k0..<(k0 + count))
    }

    /// Spline plus residual is flux-conserving only as a whole: against linear interpolation it adds the profile's
    /// curvature term s − L[s] (L: linear interpolation of the spline's native-pixel values), which is positive in
    /// a concave core and negative on the convex flanks, and sums to about zero over the column. The reference uses
    /// it only in the compact-source window (peak ± 2 native pixels); where the PSF is wider than that (the red end)
    /// the window holds the core's gain without the flanks' loss, and the column gains up to ~1.5 % of its flux.
    /// So each run of compact-source pixels is extended outward, on both sides, native pixel by native pixel, while
    /// the spline is valid there and its correction to linear interpolation is still above 0.1 % of the column's model
    /// peak: the flanks that carry the compensating term get it, the flat wings stay linear.
    private func extendCompactRuns(count: Int, peak: Double, scratch: inout ColumnScratch) {
        let n = settings.oversample, limit = 1e-3 * peak
        // Walks outward from `edge` one native pixel (its n positions, q = y ± (n−1)/2n) at a time: at the native
        // pixel's centre the correction is zero by construction, so a pixel joins when any of its positions counts.
        func extend(from edge: Int, step: Int) {
            var j = edge
            while j >= 0 && j < count {
                let last = step < 0 ? (j / n) * n : min(count - 1, (j / n) * n + n - 1)
                var significant = false
                for p in stride(from: j, through: last, by: step) {
                    guard scratch.use[p] == .splineValid, scratch.value[p].isFinite else { return }
                    if abs(scratch.spline[p] - scratch.value[p]) > limit { significant = true }
                }
                guard significant else { return }
                for p in stride(from: j, through: last, by: step) { scratch.use[p] = .margin }
                j = last + step
            }
        }
        var j = 0
        while j < count {
            guard scratch.use[j] == .compact else { j += 1; continue }
            var end = j
            while end + 1 < count && scratch.use[end + 1] == .compact { end += 1 }
            extend(from: j - 1, step: -1)
            extend(from: end + 1, step: 1)
            j = end + 1
        }
    }

    /// A pixel that is NaN in SCI, ERR or any variance, or flagged DO_NOT_USE, becomes NaN everywhere and
    /// DO_NOT_USE (the convention of calibrated JWST products).
    private func matchNansAndFlags(x: Int, rows: Range<Int>) {
        let dnu = DataQuality.doNotUse.rawValue
        for k in rows {
            let o = layout.index(x, k)
            var bad = !out.flux[o].isFinite || out.dq[o] & dnu != 0
            for p in out.errors where !p[o].isFinite { bad = true }
            guard bad else { continue }
            out.flux[o] = .nan
            for p in out.errors { p[o] = .nan }
            out.dq[o] |= dnu
        }
    }
}
