import Pipeline
import Platform

/// Resamples every column of every region onto the N-times finer grid: linear interpolation everywhere, replaced
/// by the scaled spline plus the interpolated residual where a compact source is modelled; errors and variances
/// interpolated and inflated; DQ and REGIONS from the nearest native pixel (reference notes A.8). With N = 1 only
/// the trace model is made and the data are returned unchanged.
///
/// The planes are written once, in the input's detector layout, by blocks of adjacent columns: a block is built in a
/// tile (background, then the slices) and copied out whole, so a block's writes share cache lines even when the
/// slice axis is the slow one, and no output pixel is written twice.
enum ColumnOversampler {
    /// Columns per block: 16 four-byte pixels fill one 64-byte cache line of a row.
    static let block = 16

    static func oversample(
        input: TraceModelInput, flux: [Float], offset: Double, spans: [RegionSpan], models: [RegionModel?],
        compact: [CompactSource?], settings: TraceModelSettings
    ) -> TraceModelOutput {
        if settings.oversample == 1 {
            let (used, full) = nativeTrace(
                input: input, offset: offset, spans: spans, models: models, compact: compact,
                full: settings.saveIntermediate)
            return TraceModelOutput(
                layout: input.layout, flux: input.flux, error: input.error, variances: input.variances,
                dq: input.dq, wavelength: input.wavelength, regions: input.geometry.regions,
                trace: used, modelledRegions: [], notes: [],
                intermediates: full.map { TraceIntermediates(fullSpline: $0, linear: nil, residual: nil) })
        }
        let n = settings.oversample
        let layout = input.layout.oversampled(n)
        let varianceNames = input.variances.keys.sorted()
        // Error-like planes: ERR first, then the variances (interpolated as standard deviations).
        let errorInputs: [ErrorPlane] =
            (input.error.map { [ErrorPlane(values: $0, isVariance: false)] } ?? [])
            + varianceNames.map { ErrorPlane(values: input.variances[$0]!, isVariance: true) }
        // Float planes: flux, trace, the error planes, the wavelength if present, then the intermediates.
        let waveIndex = 2 + errorInputs.count
        let intermediateStart = waveIndex + (input.wavelength == nil ? 0 : 1)
        let intermediateCount = settings.saveIntermediate ? OutputPlanes.intermediateCount : 0
        let floats = (0..<(intermediateStart + intermediateCount)).map { _ in PlaneBuffer<Float>(count: layout.count) }
        let dq = PlaneBuffer<UInt32>(count: layout.count), regions = PlaneBuffer<Int32>(count: layout.count)
        PlaneBuffer.withShared(floats) { f in
            PlaneBuffer.withShared([dq]) { d in
                PlaneBuffer.withShared([regions]) { r in
                    let planes = OutputPlanes(
                        flux: f[0], trace: f[1], errors: Array(f[2..<waveIndex]),
                        wavelength: input.wavelength == nil ? nil : f[waveIndex],
                        intermediates: Array(f[intermediateStart...]), dq: d[0])
                    let job = OversamplingJob(
                        input: input, flux: flux, offset: offset, spans: spans, models: models, compact: compact,
                        settings: settings, errorInputs: errorInputs, out: planes, regionsOut: r[0], layout: layout)
                    Parallel.forEach((layout.width + block - 1) / block) { blocks in
                        let scratch = ColumnScratch(capacity: input.layout.height, oversampledCapacity: layout.height)
                        let tile = BlockTile(
                            columns: block, rows: layout.height, errorPlanes: errorInputs.count,
                            wavelength: input.wavelength != nil, intermediates: intermediateCount)
                        for b in blocks {
                            job.fill(columns: (b * block)..<min(layout.width, (b + 1) * block), scratch: scratch, tile: tile)
                        }
                    }
                }
            }
        }
        let planes = floats.map(\.array)
        var variances: [String: [Float]] = [:]
        for (k, name) in varianceNames.enumerated() { variances[name] = planes[2 + (input.error == nil ? 0 : 1) + k] }
        let intermediates =
            settings.saveIntermediate
            ? TraceIntermediates(
                fullSpline: planes[intermediateStart], linear: planes[intermediateStart + 1],
                residual: planes[intermediateStart + 2])
            : nil
        return TraceModelOutput(
            layout: layout, flux: planes[0], error: input.error == nil ? nil : planes[2], variances: variances,
            dq: dq.array, wavelength: input.wavelength == nil ? nil : planes[waveIndex],
            regions: regions.array, trace: planes[1], modelledRegions: [], notes: [], intermediates: intermediates)
    }

    /// N = 1: the scaled spline at each modelled column's native pixels inside the compact-source window (first and
    /// last evaluated pixel of the column dropped), NaN elsewhere; with `full`, also everywhere the spline is valid.
    static func nativeTrace(
        input: TraceModelInput, offset: Double, spans: [RegionSpan], models: [RegionModel?],
        compact: [CompactSource?], full: Bool
    ) -> (used: [Float], full: [Float]?) {
        let layout = input.layout, regions = input.geometry.regions, alpha = input.geometry.alpha
        var trace = [Float](repeating: .nan, count: layout.count)
        var fullTrace = [Float](repeating: .nan, count: full ? layout.count : 0)
        trace.withUnsafeMutableBufferPointer { pointer in
            fullTrace.withUnsafeMutableBufferPointer { fullPointer in
                let out = SharedBuffer(pointer), outFull = SharedBuffer(fullPointer)
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
                                let value = Float(model.scale[c] * v + offset)
                                if full { outFull[i] = value }
                                if source.contains(a) { out[i] = value }
                            }
                            if first >= 0 {
                                out[first] = .nan; out[last] = .nan
                                if full { outFull[first] = .nan; outFull[last] = .nan }
                            }
                        }
                    }
                }
            }
        }
        return (trace, full ? fullTrace : nil)
    }
}
/// One error-like input plane; variances are interpolated as standard deviations.
struct ErrorPlane: Sendable {
    var values: [Float]
    var isVariance: Bool
}

/// Everything one oversampling run shares between its workers.
struct OversamplingJob: Sendable {
    let input: TraceModelInput
    let flux: [Float]
    let offset: Double
    let spans: [RegionSpan]
    let models: [RegionModel?]
    let compact: [CompactSource?]
    let settings: TraceModelSettings
    let errorInputs: [ErrorPlane]
    let out: OutputPlanes
    let regionsOut: SharedBuffer<Int32>
    let layout: FrameLayout
    /// Native row nearest to each oversampled row.
    let nearest: [Int]
    let shift: Double
    /// Flux-density units: the N new pixels share the native pixel's flux.
    let fluxScale: Double

    init(
        input: TraceModelInput, flux: [Float], offset: Double, spans: [RegionSpan], models: [RegionModel?],
        compact: [CompactSource?], settings: TraceModelSettings, errorInputs: [ErrorPlane], out: OutputPlanes,
        regionsOut: SharedBuffer<Int32>, layout: FrameLayout
    ) {
        self.input = input
        self.flux = flux
        self.offset = offset
        self.spans = spans
        self.models = models
        self.compact = compact
        self.settings = settings
        self.errorInputs = errorInputs
        self.out = out
        self.regionsOut = regionsOut
        self.layout = layout
        let n = settings.oversample, h = input.layout.height
        let shift = Double(n - 1) / Double(2 * n)
        self.shift = shift
        nearest = (0..<layout.height).map { k in min(h - 1, max(0, Int((Double(k) / Double(n) - shift).rounded()))) }
        fluxScale = input.fluxPerPixel ? 1 / Double(n) : 1
    }

    /// Fills a block of adjacent columns: the tile starts as `match_nans_and_flags` leaves the background (NaN,
    /// DO_NOT_USE added to the nearest native pixel's DQ), the slices are filled region by region (a pixel claimed
    /// by two regions' row ranges ends with the later region's values), and the block goes to the output.
    func fill(columns: Range<Int>, scratch: ColumnScratch, tile: BlockTile) {
        setBackground(columns, tile: tile)
        for s in spans.indices where spans[s].columns.overlaps(columns) {
            for x in spans[s].columns.clamped(to: columns) {
                fill(x: x, span: s, scratch: scratch, tile: tile.planes, column: x - columns.lowerBound, tileWidth: tile.width)
            }
        }
        flush(columns, from: tile)
    }

    private func setBackground(_ columns: Range<Int>, tile: BlockTile) {
        let native = input.layout, dnu = DataQuality.doNotUse.rawValue, dqIn = input.dq, dq = tile.planes.dq
        tile.clearValues()
        for k in 0..<layout.height {
            let y = nearest[k]
            for (c, x) in columns.enumerated() { dq[tile.index(c, k)] = dqIn[native.index(x, y)] | dnu }
        }
    }

    /// Copies a block's tile to the output, with REGIONS of the nearest native pixel, in the output's memory order.
    private func flush(_ columns: Range<Int>, from tile: BlockTile) {
        let native = input.layout, regionsIn = input.geometry.regions
        if layout.sliceAxisIsFast {
            for (c, x) in columns.enumerated() {
                for k in 0..<layout.height {
                    let o = layout.index(x, k)
                    out.copy(o, from: tile.planes, tile.index(c, k))
                    regionsOut[o] = regionsIn[native.index(x, nearest[k])]
                }
            }
            return
        }
        for k in 0..<layout.height {
            let o = layout.index(columns.lowerBound, k), y = nearest[k]
            out.copy(columns.count, to: o, from: tile.planes, tile.index(0, k))
            for (c, x) in columns.enumerated() { regionsOut[o &+ c] = regionsIn[native.index(x, y)] }
        }
    }

    /// Fills column x of region s into `tile` (its `column`, pixel k * tileWidth + column).
    private func fill(x: Int, span s: Int, scratch: ColumnScratch, tile: OutputPlanes, column: Int, tileWidth: Int) {
        let native = input.layout, n = settings.oversample
        let span = spans[s], c = x - span.columns.lowerBound
        guard span.rowMin[c] >= 0 else { return }
        let regions = input.geometry.regions, alpha = input.geometry.alpha, dqIn = input.dq
        let dnu = DataQuality.doNotUse.rawValue, estimated = DataQuality.fluxEstimated.rawValue
        let y0 = Int(span.rowMin[c]), y1 = Int(span.rowMax[c])
        let model = models[s].flatMap { $0.hasModel(c) ? $0 : nil }
        let source = compact[s]
        var samples = scratch.samples, residuals = scratch.residuals, alphas = scratch.alphas
        samples.removeAll(); residuals.removeAll(); alphas.removeAll()
        for y in y0...y1 where regions[native.index(x, y)] == span.id {
            let i = native.index(x, y)
            let f = Double(flux[i]), a = Double(alpha[i])
            samples.append(y, f)
            alphas.append(y, a)
            if let model, f.isFinite { residuals.append(y, f - model.scale[c] * model.profile(c, at: a)) }
        }
        guard samples.count > 3 else { return }
        let k0 = y0 * n, count = (y1 - y0 + 1) * n
        samples.resample(k0: k0, n: n, shift: shift, positions: count, into: scratch.linear)
        // The spline at the oversampled positions, trimmed at the column ends (NIRSpec).
        var firstSpline = -1, lastSpline = -1
        if let model, source != nil {
            alphas.resample(k0: k0, n: n, shift: shift, positions: count, linearEnds: true, into: scratch.alpha)
            residuals.resample(k0: k0, n: n, shift: shift, positions: count, into: scratch.residual)
            for j in 0..<count where model.covers(c, scratch.alpha[j]) {
                if firstSpline < 0 { firstSpline = j }
                lastSpline = j
            }
        }
        for k in k0..<(k0 + count) {
            let o = k &* tileWidth &+ column
            tile.trace[o] = .nan
            for e in tile.errors { e[o] = .nan }
            tile.wavelength?[o] = .nan
            for p in tile.intermediates { p[o] = .nan }
        }
        let addResidual = !settings.psfOptimal && residuals.count > 0
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
        if addResidual && peak > 0 { extendCompactRuns(count: count, peak: peak, scratch: scratch) }
        for j in 0..<count {
            let k = k0 + j, i = native.index(x, nearest[k]), o = k &* tileWidth &+ column
            var value = scratch.value[j]
            switch scratch.use[j] {
            case .compact:
                value = scratch.spline[j]
                tile.trace[o] = Float((scratch.trace[j] + offset) * fluxScale)
            case .margin: value = scratch.spline[j]
            case .linear, .splineValid: break
            }
            if value.isFinite { value += offset }
            tile.flux[o] = Float(value * fluxScale)
            tile.dq[o] = value.isFinite && dqIn[i] & dnu != 0 ? (dqIn[i] & ~dnu) | estimated : dqIn[i]
        }
        if !tile.intermediates.isEmpty {
            writeIntermediates(
                tile, rows: k0..<(k0 + count), column: column, tileWidth: tileWidth, scratch: scratch,
                hasResidual: model != nil && residuals.count > 0)
        }
        // Errors and variances: interpolated as standard deviations, NaN where the nearest native value is not
        // finite (except at filled pixels), inflated by X (variances by X²).
        let inflation = settings.errorInflation * fluxScale
        var errors = scratch.errors
        for (e, plane) in errorInputs.enumerated() {
            errors.removeAll()
            for y in y0...y1 where regions[native.index(x, y)] == span.id {
                let v = Double(plane.values[native.index(x, y)])
                errors.append(y, plane.isVariance ? v.squareRoot() : v)
            }
            guard errors.count >= 3 else { continue }
            errors.resample(k0: k0, n: n, shift: shift, positions: count, into: scratch.error)
            for j in 0..<count {
                let k = k0 + j, o = k &* tileWidth &+ column, i = native.index(x, nearest[k])
                let filled = tile.dq[o] & estimated != 0 && dqIn[i] & estimated == 0
                guard plane.values[i].isFinite || filled, regions[i] == span.id else { continue }
                let sd = scratch.error[j] * inflation
                tile.errors[e][o] = Float(plane.isVariance ? sd * sd : sd)
            }
        }
        if let wave = input.wavelength, let outWave = tile.wavelength {
            errors.removeAll()
            for y in y0...y1 where regions[native.index(x, y)] == span.id { errors.append(y, Double(wave[native.index(x, y)])) }
            errors.resample(k0: k0, n: n, shift: shift, positions: count, linearEnds: true, into: scratch.error)
            for j in 0..<count {
                let k = k0 + j, i = native.index(x, nearest[k])
                guard wave[i].isFinite, regions[i] == span.id else { continue }
                outWave[k &* tileWidth &+ column] = Float(scratch.error[j])
            }
        }
        matchNansAndFlags(tile, rows: k0..<(k0 + count), column: column, tileWidth: tileWidth)
    }

    /// The separate terms at one column's rows, in output units: the full spline wherever it is valid, the linear
    /// interpolation (offset restored, like SCI), and the interpolated residual away from the column ends.
    private func writeIntermediates(
        _ planes: OutputPlanes, rows: Range<Int>, column: Int, tileWidth: Int,
        scratch: ColumnScratch, hasResidual: Bool
    ) {
        let n = settings.oversample, count = rows.count
        let full = planes.intermediates[0], linear = planes.intermediates[1], residual = planes.intermediates[2]
        for j in 0..<count {
            let o = (rows.lowerBound + j) &* tileWidth &+ column
            if scratch.use[j] != .linear { full[o] = Float((scratch.trace[j] + offset) * fluxScale) }
            let value = scratch.value[j]
            linear[o] = Float((value.isFinite ? value + offset : value) * fluxScale)
            if hasResidual && j >= n && j < count - n { residual[o] = Float(scratch.residual[j] * fluxScale) }
        }
    }

    /// A pixel that is NaN in SCI, ERR or any variance, or flagged DO_NOT_USE, becomes NaN everywhere and
    /// DO_NOT_USE (the convention of calibrated JWST products).
    private func matchNansAndFlags(_ planes: OutputPlanes, rows: Range<Int>, column: Int, tileWidth: Int) {
        let dnu = DataQuality.doNotUse.rawValue
        for k in rows {
            let o = k &* tileWidth &+ column
            var bad = !planes.flux[o].isFinite || planes.dq[o] & dnu != 0
            for p in planes.errors where !p[o].isFinite { bad = true }
            guard bad else { continue }
            planes.flux[o] = .nan
            for p in planes.errors { p[o] = .nan }
            planes.dq[o] |= dnu
        }
    }
}
