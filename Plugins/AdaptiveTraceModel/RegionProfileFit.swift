import Numerics

/// The trace model of one region: a normalised B-spline profile per column (fitted on a window of neighbouring
/// columns) and the scale that turns it into the column's flux.
struct RegionModel: Sendable {
    var span: RegionSpan
    var basis: CubicBSplineBasis
    /// basis.count coefficients per column of the span, column-major.
    var coefficients: [Double]
    /// Per column: flux scale, NaN where the column has no model.
    var scale: [Double]
    /// Per column: the alpha range of the window the profile was fitted on, outside which it is not evaluated.
    var lower: [Double]
    var upper: [Double]
    /// Median row-to-row step of alpha (native pixel size in alpha units).
    var nativeStep: Double
    /// The knot intervals, as the reference counts them (its `spline_bkpt`; three fewer for a model from the
    /// retry), of the model of the region's lowest column that has one: the reference bins every region's
    /// high-slope positions with that count of the first region's.
    var firstModelIntervals: Int

    func hasModel(_ k: Int) -> Bool { scale[k].isFinite }

    /// Whether alpha lies inside column k's model range.
    @inline(__always)
    func covers(_ k: Int, _ a: Double) -> Bool { a >= lower[k] && a <= upper[k] }

    /// Normalised profile of column k (span-local) at alpha; NaN outside the model's alpha range.
    @inline(__always)
    func profile(_ k: Int, at a: Double) -> Double {
        guard covers(k, a) else { return .nan }
        return coefficients.withUnsafeBufferPointer { c in
            basis.value(at: a, coefficients: UnsafeBufferPointer(rebasing: c[(k * basis.count)..<((k + 1) * basis.count)]))
        }
    }
}

/// Why a region got no trace model.
enum RegionSkip: Sendable, Equatable {
    case allNaN
    case belowThreshold
    case tooFewPixels
    case noFit
}

/// Fits the trace model of one region: screening against the peak threshold, column normalisation, and the
/// windowed B-spline fits with sigma rejection (paper §3; reference notes A.4–A.6).
///
/// Differences from the reference, by design: knots are fixed per region (from the region's alpha range) rather
/// than recomputed from each window, so basis values are computed once per pixel and the window's normal
/// equations slide from column to column (coefficients the window's data do not reach are pinned to zero, and each
/// column's model is used only over its window's alpha range, as the reference's per-window knots imply); a failed
/// fit falls back to the previous column's model, and before any column has one it is tried again as the
/// reference retries with three knots fewer, with the gap rule measured against those knots but the region's
/// basis kept (the penalty keeps it stable over the wider gaps); the gap filter that drops the point after each
/// wide spacing is not applied.
///
/// Beyond the reference: a weak third-difference penalty (TraceModelSettings.smoothing). Agreement with jwst
/// (bench/atm, same input): within 0.96 % of the peak. The largest differences are where a slice's tilt changes
/// slowly and a window of 100 columns samples only a narrow band of sub-pixel phases: the unpenalised spline with
/// per-window knots is then free between the sampled phases, and it is the one further from the truth.
enum RegionProfileFit {
    static func fit(
        span: RegionSpan, flux: [Float], alpha: [Float], layout: FrameLayout, settings: TraceModelSettings,
        peakThreshold: Double?
    ) -> Result<RegionModel, RegionSkipError> {
        let nc = span.columns.count
        // Pixel layout: column k holds rows rowMin[k]...rowMax[k] at offsets colOffset[k]...
        var colOffset = [Int](repeating: 0, count: nc + 1)
        for k in 0..<nc {
            let rows = span.rowMin[k] >= 0 ? Int(span.rowMax[k] - span.rowMin[k]) + 1 : 0
            colOffset[k + 1] = colOffset[k] + rows
        }
        let npix = colOffset[nc]
        var a = [Double](repeating: .nan, count: npix), f = [Double](repeating: .nan, count: npix)
        var amin = Double.infinity, amax = -Double.infinity, anyFlux = false
        var steps: [Double] = []
        for k in 0..<nc where span.rowMin[k] >= 0 {
            let x = span.columns.lowerBound + k
            var previous: Double? = nil
            for y in Int(span.rowMin[k])...Int(span.rowMax[k]) {
                let i = layout.index(x, y)
                let p = colOffset[k] + y - Int(span.rowMin[k])
                let av = Double(alpha[i])
                guard av.isFinite else { previous = nil; continue }
                a[p] = av
                amin = min(amin, av); amax = max(amax, av)
                if let previous { steps.append(av - previous) }
                previous = av
                let fv = Double(flux[i])
                if fv.isFinite { f[p] = fv; anyFlux = true }
            }
        }
        guard anyFlux, amax > amin else { return .failure(RegionSkipError(.allNaN)) }
        let nativeStep = steps.isEmpty ? 1 : abs(RobustStatistics.medianInPlace(&steps))
        guard nativeStep > 0 else { return .failure(RegionSkipError(.allNaN)) }
        let nativeLength = (amax - amin) / nativeStep

        if let peakThreshold {
            // Binned cross-dispersion profile (bins of half a native pixel): median flux per bin.
            let binWidth = nativeStep / 2
            let nbins = Int((amax - amin) / binWidth) + 1
            var bins = [[Double]](repeating: [], count: nbins)
            for p in 0..<npix where f[p].isFinite && a[p].isFinite {
                bins[min(nbins - 1, Int((a[p] - amin) / binWidth + 0.5))].append(f[p])
            }
            var peak = -Double.infinity
            for k in bins.indices where !bins[k].isEmpty { peak = max(peak, RobustStatistics.medianInPlace(&bins[k])) }
            guard peak > peakThreshold else { return .failure(RegionSkipError(.belowThreshold)) }
        }

        // Normalise each column to unit sum.
        var norm = [Double](repeating: .nan, count: npix)
        var good = [Int](repeating: 0, count: nc)
        for k in 0..<nc {
            var sum = 0.0
            for p in colOffset[k]..<colOffset[k + 1] where f[p].isFinite && a[p].isFinite { sum += f[p]; good[k] += 1 }
            guard sum != 0, sum.isFinite else { good[k] = 0; continue }
            for p in colOffset[k]..<colOffset[k + 1] where f[p].isFinite && a[p].isFinite { norm[p] = f[p] / sum }
        }
        let requireGood = settings.requiredGoodPixels(nativeLength: nativeLength)
        guard good.contains(where: { $0 > requireGood }) else { return .failure(RegionSkipError(.tooFewPixels)) }

        let intervals = settings.knotIntervals(nativeLength: nativeLength)
        let basis = CubicBSplineBasis.halfOffsetUniform(lower: amin, upper: amax, nominalIntervals: intervals)
        let nb = basis.count
        var first = [Int32](repeating: -1, count: npix)
        var values = [SIMD4<Double>](repeating: .zero, count: npix)
        for p in 0..<npix where norm[p].isFinite {
            let (i, b) = basis.evaluate(a[p])
            first[p] = Int32(i)
            values[p] = b
        }

        var model = RegionModel(
            span: span, basis: basis, coefficients: [Double](repeating: 0, count: nc * nb),
            scale: [Double](repeating: .nan, count: nc), lower: [Double](repeating: .nan, count: nc),
            upper: [Double](repeating: .nan, count: nc), nativeStep: nativeStep, firstModelIntervals: basis.intervals)
        var window = WindowFitter(
            basis: basis, nominalIntervals: intervals,
            maxPixels: colOffset.indices.dropLast().map {
                colOffset[min(nc, $0 + settings.windowHalfWidth)] - colOffset[max(0, $0 - settings.windowHalfWidth)]
            }.max() ?? 0, settings: settings)
        var lastGood: Int? = nil
        var scratch = ScaleScratch(capacity: colOffset.indices.dropLast().map { colOffset[$0 + 1] - colOffset[$0] }.max() ?? 0)
        let h = settings.windowHalfWidth
        // Per column: the knot intervals of the reference's spline its model stands for.
        var knotsOf = [Int](repeating: 0, count: nc)
        for k in settings.columnOrder(0..<nc) where good[k] > requireGood {
            let lo = max(0, k - h), hi = min(nc, k + h)
            window.slide(to: lo..<hi, colOffset: colOffset, first: first, values: values, norm: norm, a: a)
            var fitted = window.fit(colOffset: colOffset, first: first, values: values, norm: norm)
            var knots = basis.intervals
            if !fitted, lastGood == nil, intervals > 3 {
                fitted = window.fit(colOffset: colOffset, first: first, values: values, norm: norm, gapIntervals: intervals - 3)
                knots -= 3
            }
            let source: Int
            if fitted {
                knotsOf[k] = knots
                window.copySolution(into: &model.coefficients, at: k * nb)
                (model.lower[k], model.upper[k]) = window.bounds
                source = k
            } else if let lastGood {
                knotsOf[k] = knotsOf[lastGood]
                for j in 0..<nb { model.coefficients[k * nb + j] = model.coefficients[lastGood * nb + j] }
                (model.lower[k], model.upper[k]) = (model.lower[lastGood], model.upper[lastGood])
                source = lastGood
            } else {
                continue
            }
            lastGood = source
            model.scale[k] = scratch.scale(model: model, column: k, pixels: colOffset[k]..<colOffset[k + 1], a: a, f: f)
        }
        guard let lowest = model.scale.firstIndex(where: { $0.isFinite }) else { return .failure(RegionSkipError(.noFit)) }
        model.firstModelIntervals = knotsOf[lowest]
        return .success(model)
    }
}

/// A region skipped, with the reason (for the product header).
struct RegionSkipError: Error, Sendable {
    var reason: RegionSkip
    init(_ reason: RegionSkip) { self.reason = reason }
}
