import Numerics
import Pipeline

/// Resamples every column of every region onto the N-times finer grid: linear interpolation everywhere, replaced
/// by the scaled spline plus the interpolated residual where a compact source is modelled; errors and variances
/// interpolated and inflated; DQ and REGIONS from the nearest native pixel (reference notes A.8). With N = 1 only
/// the trace model is made and the data are returned unchanged.
enum ColumnOversampler {
    static func oversample(input: TraceModelInput, flux: [Float], offset: Double, spans: [RegionSpan], models: [RegionModel?],
                           compact: [CompactSource?], settings: TraceModelSettings) -> TraceModelOutput {
        let w = input.width, h = input.height, n = settings.oversample
        let hn = h * n
        let shift = Double(n - 1) / Double(2 * n)
        let regions = input.geometry.regions, alpha = input.geometry.alpha
        let dnu = DataQuality.doNotUse.rawValue, estimated = DataQuality.fluxEstimated.rawValue
        let inflation = settings.errorInflation
        let varianceNames = input.variances.keys.sorted()
        let outFlux = PlaneBuffer<Float>(count: w * hn, repeating: .nan)
        let trace = PlaneBuffer<Float>(count: w * hn, repeating: .nan)
        let outDQ = PlaneBuffer<UInt32>(count: w * hn, repeating: 0)
        let outRegions = PlaneBuffer<Int32>(count: w * hn, repeating: 0)
        let outWave = input.wavelength.map { _ in PlaneBuffer<Float>(count: w * hn, repeating: .nan) }
        // Error-like planes: ERR first, then the variances (interpolated as standard deviations).
        let errorInputs: [(values: [Float], isVariance: Bool)] = (input.error.map { [($0, false)] } ?? [])
            + varianceNames.map { (input.variances[$0]!, true) }
        let errorOutputs = errorInputs.map { _ in PlaneBuffer<Float>(count: w * hn, repeating: .nan) }
        let spanIndex = (0..<w).map { x in spans.indices.filter { spans[$0].columns.contains(x) } }

        @Sendable func nearest(_ k: Int) -> Int { min(h - 1, max(0, Int((Double(k) / Double(n) - shift).rounded()))) }

        /// N = 1: the scaled spline at the region's native pixels (first and last evaluated pixel dropped).
        @Sendable func nativeTrace(x: Int, c: Int, y0: Int, y1: Int, span: RegionSpan, model: RegionModel?, source: CompactSource?) {
            guard let model, let source else { return }
            var evaluated: [Int] = []
            for y in y0...y1 where regions[x * h + y] == span.id {
                let a = Double(alpha[x * h + y])
                let v = model.profile(c, at: a)
                guard v.isFinite else { continue }
                evaluated.append(y)
                if source.contains(a) { trace[x * h + y] = Float(model.scale[c] * v + offset) }
            }
            if let first = evaluated.first { trace[x * h + first] = .nan }
            if let last = evaluated.last { trace[x * h + last] = .nan }
        }

        Parallel.forEach(w) { columns in
            var samples = ColumnSamples(capacity: h), residuals = ColumnSamples(capacity: h)
            var alphas = ColumnSamples(capacity: h), errors = ColumnSamples(capacity: h)
            for x in columns {
                for k in 0..<hn {
                    let i = x * h + nearest(k)
                    outDQ[x * hn + k] = input.dq[i]
                    outRegions[x * hn + k] = regions[i]
                }
                for s in spanIndex[x] {
                    let span = spans[s], c = x - span.columns.lowerBound
                    guard span.rowMin[c] >= 0 else { continue }
                    let y0 = Int(span.rowMin[c]), y1 = Int(span.rowMax[c])
                    let model = models[s].flatMap { $0.hasModel(c) ? $0 : nil }
                    let source = compact[s]
                    samples.removeAll(); residuals.removeAll(); alphas.removeAll()
                    for y in y0...y1 where regions[x * h + y] == span.id {
                        let i = x * h + y
                        let f = Double(flux[i]), a = Double(alpha[i])
                        samples.append(y, f)
                        alphas.append(y, a)
                        if let model, f.isFinite {
                            residuals.append(y, f - model.scale[c] * model.profile(c, at: a))
                        }
                    }
                    if n == 1 {
                        nativeTrace(x: x, c: c, y0: y0, y1: y1, span: span, model: model, source: source)
                        continue
                    }
                    guard samples.count > 3 else { continue }
                    let k0 = y0 * n, count = (y1 - y0 + 1) * n
                    // Spline at the oversampled positions, trimmed at the column ends (NIRSpec).
                    var firstSpline = -1, lastSpline = -1
                    if let model {
                        for j in 0..<count {
                            let a = alphas.interpolate(Double(k0 + j) / Double(n) - shift, linearEnds: true)
                            if a >= model.basis.lower && a <= model.basis.upper {
                                if firstSpline < 0 { firstSpline = j }
                                lastSpline = j
                            }
                        }
                    }
                    for j in 0..<count {
                        let k = k0 + j, q = Double(k) / Double(n) - shift
                        let native = x * h + nearest(k)
                        let o = x * hn + k
                        var value = samples.interpolate(q)
                        if j < n || j >= count - n || !flux[native].isFinite || regions[native] != span.id { value = .nan }
                        if let model, let source {
                            let a = alphas.interpolate(q, linearEnds: true)
                            let trimmed = settings.trimEnds && (j < firstSpline + n || j > lastSpline - n)
                            if a >= model.basis.lower && a <= model.basis.upper && !trimmed && source.contains(a) {
                                let spline = model.scale[c] * model.profile(c, at: a)
                                if spline.isFinite {
                                    value = spline
                                    trace[o] = Float(spline + offset)
                                    if !settings.psfOptimal && j >= n && j < count - n && residuals.count > 0 {
                                        value += residuals.interpolate(q)
                                    }
                                }
                            }
                        }
                        if value.isFinite { value += offset }
                        outFlux[o] = Float(value)
                        if value.isFinite && input.dq[native] & dnu != 0 {
                            outDQ[o] = (input.dq[native] & ~dnu) | estimated
                        }
                    }
                    // Errors and variances: interpolated as standard deviations, NaN where the nearest native value
                    // is not finite (except at filled pixels), inflated by X (variances by X²).
                    for (e, plane) in errorInputs.enumerated() {
                        errors.removeAll()
                        for y in y0...y1 where regions[x * h + y] == span.id {
                            let v = Double(plane.values[x * h + y])
                            errors.append(y, plane.isVariance ? v.squareRoot() : v)
                        }
                        guard errors.count >= 3 else { continue }
                        for j in 0..<count {
                            let k = k0 + j, o = x * hn + k, native = x * h + nearest(k)
                            let filled = outDQ[o] & estimated != 0 && input.dq[native] & estimated == 0
                            guard plane.values[native].isFinite || filled, regions[native] == span.id else { continue }
                            let sd = errors.interpolate(Double(k) / Double(n) - shift) * inflation
                            errorOutputs[e][o] = Float(plane.isVariance ? sd * sd : sd)
                        }
                    }
                    if let wave = input.wavelength, let outWave {
                        errors.removeAll()
                        for y in y0...y1 where regions[x * h + y] == span.id { errors.append(y, Double(wave[x * h + y])) }
                        for j in 0..<count {
                            let k = k0 + j, native = x * h + nearest(k)
                            guard wave[native].isFinite, regions[native] == span.id else { continue }
                            outWave[x * hn + k] = Float(errors.interpolate(Double(k) / Double(n) - shift, linearEnds: true))
                        }
                    }
                }
            }
        }

        if n == 1 {
            return TraceModelOutput(width: w, height: h, flux: input.flux, error: input.error, variances: input.variances,
                                    dq: input.dq, wavelength: input.wavelength, regions: regions, trace: trace.array,
                                    modelledRegions: [], notes: [])
        }
        matchNansAndFlags(flux: outFlux, planes: errorOutputs, dq: outDQ, count: w * hn)
        let planes = errorOutputs.map(\.array)
        var variances: [String: [Float]] = [:]
        for (k, name) in varianceNames.enumerated() { variances[name] = planes[(input.error == nil ? 0 : 1) + k] }
        return TraceModelOutput(width: w, height: hn, flux: outFlux.array, error: input.error == nil ? nil : planes[0],
                                variances: variances, dq: outDQ.array, wavelength: outWave?.array, regions: outRegions.array,
                                trace: trace.array, modelledRegions: [], notes: [])
    }

    /// A pixel that is NaN in SCI, ERR or any variance, or flagged DO_NOT_USE, becomes NaN everywhere and
    /// DO_NOT_USE (the convention of calibrated JWST products).
    static func matchNansAndFlags(flux: PlaneBuffer<Float>, planes: [PlaneBuffer<Float>], dq: PlaneBuffer<UInt32>, count: Int) {
        let dnu = DataQuality.doNotUse.rawValue
        Parallel.forEach(count) { range in
            for i in range {
                var bad = !flux[i].isFinite || dq[i] & dnu != 0
                for p in planes where !p[i].isFinite { bad = true }
                guard bad else { continue }
                flux[i] = .nan
                for p in planes { p[i] = .nan }
                dq[i] |= dnu
            }
        }
    }
}
