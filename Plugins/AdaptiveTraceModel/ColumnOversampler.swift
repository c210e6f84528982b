import FITS
import Pipeline
import Platform

/// Resamples every column of every region onto the N-times finer grid: linear interpolation everywhere, replaced
/// by the scaled spline plus the interpolated residual where a compact source is modelled; errors and variances
/// interpolated and inflated; DQ and REGIONS from the nearest native pixel (reference notes A.8). With N = 1 only
/// the trace model is made and the data are returned unchanged.
///
/// The planes are computed in the input's detector layout a band at a time (`OversampledBands`), when the product is
/// written or read, and each band by blocks of adjacent columns: a block is built in a tile (background, then the
/// slices) and copied out whole, so a block's writes share cache lines even when the slice axis is the slow one, and
/// no output pixel is written twice.
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
            let axes = input.layout.axes
            return TraceModelOutput(
                layout: input.layout, planes: [:], trace: .image(AnyImage(Image(axes: axes, pixels: used))),
                modelledRegions: [], notes: [],
                intermediates: full.map {
                    TraceIntermediates(fullSpline: .image(AnyImage(Image(axes: axes, pixels: $0))), linear: nil, residual: nil)
                })
        }
        let job = OversamplingJob(
            input: input, flux: flux, offset: offset, spans: spans, models: models, compact: compact, settings: settings)
        let source = OversampledBands(job: job)
        let index = source.planes
        // SCI and TRACEMODEL are kept whole: the quick-look sheet reads them while the product is written.
        let planes = BandedPlanes(source: source, axes: job.layout.axes, types: index.types, kept: [index.flux, index.trace])
        var named: [String: HDU.Payload] = [
            "SCI": .banded(planes.plane(index.flux)), "DQ": .banded(planes.plane(index.dq)),
            "REGIONS": .banded(planes.plane(index.regions)),
        ]
        for (e, plane) in job.errorInputs.enumerated() { named[plane.name] = .banded(planes.plane(index.errors.lowerBound + e)) }
        if let wave = index.wavelength { named["WAVELENGTH"] = .banded(planes.plane(wave)) }
        let intermediates =
            settings.saveIntermediate
            ? TraceIntermediates(
                fullSpline: .banded(planes.plane(index.intermediates.lowerBound)),
                linear: .banded(planes.plane(index.intermediates.lowerBound + 1)),
                residual: .banded(planes.plane(index.intermediates.lowerBound + 2)))
            : nil
        return TraceModelOutput(
            layout: job.layout, planes: named, trace: .banded(planes.plane(index.trace)), modelledRegions: [], notes: [],
            intermediates: intermediates)
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
    /// The extension it comes from and goes to.
    var name: String
    var values: [Float]
    var isVariance: Bool
}

/// Everything the oversampling of one run shares between its workers.
struct OversamplingJob: Sendable {
    let input: TraceModelInput
    let flux: [Float]
    let offset: Double
    let spans: [RegionSpan]
    let models: [RegionModel?]
    let compact: [CompactSource?]
    let settings: TraceModelSettings
    /// Error-like planes: ERR first, then the variances (interpolated as standard deviations).
    let errorInputs: [ErrorPlane]
    let layout: FrameLayout
    /// Native-row position of each oversampled row, q = k / N − (N − 1) / 2N, and the native row nearest to it.
    let positions: [Double]
    let nearest: [Int]
    /// Flux-density units: the N new pixels share the native pixel's flux.
    let fluxScale: Double

    init(
        input: TraceModelInput, flux: [Float], offset: Double, spans: [RegionSpan], models: [RegionModel?],
        compact: [CompactSource?], settings: TraceModelSettings
    ) {
        self.input = input
        self.flux = flux
        self.offset = offset
        self.spans = spans
        self.models = models
        self.compact = compact
        self.settings = settings
        errorInputs =
            (input.error.map { [ErrorPlane(name: "ERR", values: $0, isVariance: false)] } ?? [])
            + input.variances.keys.sorted().map { ErrorPlane(name: $0, values: input.variances[$0]!, isVariance: true) }
        let n = settings.oversample, h = input.layout.height
        layout = input.layout.oversampled(n)
        let shift = Double(n - 1) / Double(2 * n)
        positions = (0..<layout.height).map { k in Double(k) / Double(n) - shift }
        nearest = positions.map { q in min(h - 1, max(0, Int(q.rounded()))) }
        fluxScale = input.fluxPerPixel ? 1 / Double(n) : 1
    }

    /// Fills one band of the output into `out` and `regionsOut`, whose pixel 0 is the band's first: block by block of
    /// `ColumnOversampler.block` columns, each built in a tile and copied out whole.
    func fill(_ band: OutputBand, into out: OutputPlanes, regionsOut: SharedBuffer<Int32>) {
        let scratch = ColumnScratch(capacity: input.layout.height, positions: positions)
        let tile = BlockTile(
            columns: ColumnOversampler.block, rows: band.rows.count, errorPlanes: errorInputs.count,
            wavelength: input.wavelength != nil, intermediates: out.intermediates.count)
        let base = layout.index(band.columns.lowerBound, band.rows.lowerBound)
        for start in stride(from: band.columns.lowerBound, to: band.columns.upperBound, by: ColumnOversampler.block) {
            let columns = start..<min(band.columns.upperBound, start + ColumnOversampler.block)
            fill(columns: columns, rows: band.rows, spans: band.spans, scratch: scratch, tile: tile)
            flush(columns, rows: band.rows, from: tile, to: out, regionsOut: regionsOut, base: base)
        }
    }

    /// Fills a block of adjacent columns at `rows`: the tile starts as `match_nans_and_flags` leaves the background
    /// (NaN, DO_NOT_USE added to the nearest native pixel's DQ), the slices (`spans`, whose rows all lie in `rows`)
    /// are filled region by region (a pixel claimed by two regions' row ranges ends with the later region's values).
    private func fill(columns: Range<Int>, rows: Range<Int>, spans slices: [Int], scratch: ColumnScratch, tile: BlockTile) {
        setBackground(columns, rows: rows, tile: tile)
        for s in slices where spans[s].columns.overlaps(columns) {
            for x in spans[s].columns.clamped(to: columns) {
                fill(
                    x: x, span: s, scratch: scratch, tile: tile.planes, column: x - columns.lowerBound, tileWidth: tile.width,
                    firstRow: rows.lowerBound)
            }
        }
    }

    private func setBackground(_ columns: Range<Int>, rows: Range<Int>, tile: BlockTile) {
        let native = input.layout, dnu = DataQuality.doNotUse.rawValue, dqIn = input.dq, dq = tile.planes.dq
        tile.clearValues()
        for k in rows {
            let y = nearest[k]
            for (c, x) in columns.enumerated() { dq[tile.index(c, k - rows.lowerBound)] = dqIn[native.index(x, y)] | dnu }
        }
    }

    /// Copies a block's tile to the output, whose pixel 0 is pixel `base` of the planes, with REGIONS of the
    /// nearest native pixel, in the output's memory order.
    private func flush(
        _ columns: Range<Int>, rows: Range<Int>, from tile: BlockTile, to out: OutputPlanes, regionsOut: SharedBuffer<Int32>,
        base: Int
    ) {
        let native = input.layout, regionsIn = input.geometry.regions
        if layout.sliceAxisIsFast {
            for (c, x) in columns.enumerated() {
                for k in rows {
                    let o = layout.index(x, k) &- base
                    out.copy(o, from: tile.planes, tile.index(c, k - rows.lowerBound))
                    regionsOut[o] = regionsIn[native.index(x, nearest[k])]
                }
            }
            return
        }
        for k in rows {
            let o = layout.index(columns.lowerBound, k) &- base, y = nearest[k]
            out.copy(columns.count, to: o, from: tile.planes, tile.index(0, k - rows.lowerBound))
            for (c, x) in columns.enumerated() { regionsOut[o &+ c] = regionsIn[native.index(x, y)] }
        }
    }

    /// Fills column x of region s into `tile` (its `column`; output row k at pixel (k − firstRow) * tileWidth + column).
    private func fill(x: Int, span s: Int, scratch: ColumnScratch, tile: OutputPlanes, column: Int, tileWidth: Int, firstRow: Int) {
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
        // Tile pixel of output row k0 in this column, and the native-row positions of the column's output rows.
        let t0 = (k0 - firstRow) &* tileWidth &+ column, q = scratch.positions(k0, count)
        samples.resample(at: q, into: scratch.linear)
        // The spline at the oversampled positions, trimmed at the column ends (NIRSpec).
        var firstSpline = -1, lastSpline = -1
        if let model, source != nil {
            alphas.resample(at: q, linearEnds: true, into: scratch.alpha)
            residuals.resample(at: q, into: scratch.residual)
            for j in 0..<count where model.covers(c, scratch.alpha[j]) {
                if firstSpline < 0 { firstSpline = j }
                lastSpline = j
            }
        }
        for j in 0..<count {
            let o = t0 &+ j &* tileWidth
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
            let k = k0 + j, i = native.index(x, nearest[k]), o = t0 &+ j &* tileWidth
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
                tile, first: t0, count: count, tileWidth: tileWidth, scratch: scratch, hasResidual: model != nil && residuals.count > 0)
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
            errors.resample(at: q, into: scratch.error)
            for j in 0..<count {
                let k = k0 + j, o = t0 &+ j &* tileWidth, i = native.index(x, nearest[k])
                let filled = tile.dq[o] & estimated != 0 && dqIn[i] & estimated == 0
                guard plane.values[i].isFinite || filled, regions[i] == span.id else { continue }
                let sd = scratch.error[j] * inflation
                tile.errors[e][o] = Float(plane.isVariance ? sd * sd : sd)
            }
        }
        if let wave = input.wavelength, let outWave = tile.wavelength {
            errors.removeAll()
            for y in y0...y1 where regions[native.index(x, y)] == span.id { errors.append(y, Double(wave[native.index(x, y)])) }
            errors.resample(at: q, linearEnds: true, into: scratch.error)
            for j in 0..<count {
                let k = k0 + j, i = native.index(x, nearest[k])
                guard wave[i].isFinite, regions[i] == span.id else { continue }
                outWave[t0 &+ j &* tileWidth] = Float(scratch.error[j])
            }
        }
        matchNansAndFlags(tile, first: t0, count: count, tileWidth: tileWidth)
    }

    /// The separate terms at one column's `count` rows from tile pixel `first`, in output units: the full spline wherever it is valid, the linear
    /// interpolation (offset restored, like SCI), and the interpolated residual away from the column ends.
    private func writeIntermediates(
        _ planes: OutputPlanes, first: Int, count: Int, tileWidth: Int, scratch: ColumnScratch, hasResidual: Bool
    ) {
        let n = settings.oversample
        let full = planes.intermediates[0], linear = planes.intermediates[1], residual = planes.intermediates[2]
        for j in 0..<count {
            let o = first &+ j &* tileWidth
            if scratch.use[j] != .linear { full[o] = Float((scratch.trace[j] + offset) * fluxScale) }
            let value = scratch.value[j]
            linear[o] = Float((value.isFinite ? value + offset : value) * fluxScale)
            if hasResidual && j >= n && j < count - n { residual[o] = Float(scratch.residual[j] * fluxScale) }
        }
    }

    /// A pixel of a column's `count` rows from tile pixel `first` that is NaN in SCI, ERR or any variance, or flagged
    /// DO_NOT_USE, becomes NaN everywhere and DO_NOT_USE (the convention of calibrated JWST products).
    private func matchNansAndFlags(_ planes: OutputPlanes, first: Int, count: Int, tileWidth: Int) {
        let dnu = DataQuality.doNotUse.rawValue
        for j in 0..<count {
            let o = first &+ j &* tileWidth
            var bad = !planes.flux[o].isFinite || planes.dq[o] & dnu != 0
            for p in planes.errors where !p[o].isFinite { bad = true }
            guard bad else { continue }
            planes.flux[o] = .nan
            for p in planes.errors { p[o] = .nan }
            planes.dq[o] |= dnu
        }
    }
}
