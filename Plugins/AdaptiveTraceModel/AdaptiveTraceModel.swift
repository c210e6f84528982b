import FITS
import Numerics
import Platform

/// Input of the trace model: the exposure's images in their detector layout (FITS order), addressed through
/// `geometry.layout`. Optional arrays are propagated when present.
public struct TraceModelInput: Sendable {
    public var flux: [Float]
    public var error: [Float]?
    public var variances: [String: [Float]]
    public var dq: [UInt32]
    public var wavelength: [Float]?
    public var geometry: TraceGeometry
    /// The flux is a density per pixel (BUNIT like Jy, not per steradian): oversampled values, errors and the trace
    /// are divided by N (variances by N²), so the N new pixels share the native pixel's flux.
    public var fluxPerPixel: Bool
    /// Region → group sharing one threshold (MIRI MRS: the channel, region / 100); nil = one global group.
    public var thresholdGroup: (@Sendable (Int32) -> Int32)?

    public init(
        flux: [Float], error: [Float]?, variances: [String: [Float]], dq: [UInt32], wavelength: [Float]?,
        geometry: TraceGeometry, fluxPerPixel: Bool = false, thresholdGroup: (@Sendable (Int32) -> Int32)? = nil
    ) {
        self.flux = flux
        self.error = error
        self.variances = variances
        self.dq = dq
        self.wavelength = wavelength
        self.geometry = geometry
        self.fluxPerPixel = fluxPerPixel
        self.thresholdGroup = thresholdGroup
    }

    public var layout: FrameLayout { geometry.layout }
}

/// Output: the planes oversampled N times along the slice, in the input's detector orientation (`layout`, whose
/// slice axis is N times longer), ready to be written; plus the trace model and what was done per region. With
/// N = 1 there are no new planes (the input's are the product's), only the trace model.
public struct TraceModelOutput: Sendable {
    public var layout: FrameLayout
    /// The oversampled planes by extension name (SCI, ERR, DQ, the VAR_* present, WAVELENGTH if present, REGIONS),
    /// computed band by band when first written or read (`OversampledBands`); empty with N = 1.
    public var planes: [String: HDU.Payload]
    /// Scaled spline model at compact-source pixels, NaN elsewhere.
    public var trace: HDU.Payload
    /// Regions with a trace model.
    public var modelledRegions: [Int32]
    /// One line per region that was skipped, with the reason.
    public var notes: [String]
    /// The planes the combination was made from, when `settings.saveIntermediate` asked for them.
    public var intermediates: TraceIntermediates?
}

/// The separate terms of the trace model (the reference step's `save_intermediate_results` products), in the
/// output's layout and units, NaN where a term does not exist. The spline as used is `TraceModelOutput.trace`.
public struct TraceIntermediates: Sendable {
    /// The scaled spline wherever a column has a model, compact source or not.
    public var fullSpline: HDU.Payload
    /// Linear interpolation alone (N > 1), with the column ends and native NaNs kept NaN.
    public var linear: HDU.Payload?
    /// The data minus the scaled spline at the native pixels, interpolated onto the grid (N > 1; not offset).
    public var residual: HDU.Payload?
}

/// The adaptive trace model (Law et al., ATM paper; reference notes Part A) as plain functions on arrays.
public enum AdaptiveTraceModel {
    public static func run(_ input: TraceModelInput, settings: TraceModelSettings) -> TraceModelOutput {
        let regions = input.geometry.regions, layout = input.layout
        // Global statistics of the slice pixels: a negative mean is removed for fitting and added back at the end.
        var sliceValues = [Float]()
        sliceValues.reserveCapacity(regions.count / 2)
        for (v, r) in zip(input.flux, regions) where r > 0 && v.isFinite { sliceValues.append(v) }
        let stats = RobustStatistics.sigmaClippedSorting(&sliceValues)
        sliceValues = []
        let mean = stats?.mean ?? 0, rms = stats?.standardDeviation ?? 0
        let offset = mean < 0 && mean.isFinite ? mean : 0
        let flux = offset == 0 ? input.flux : input.flux.map { $0 - Float(offset) }

        var thresholds: [Int32: Double] = [:]
        if settings.fitThreshold > 0 {
            if let group = input.thresholdGroup {
                var members: [Int32: [Float]] = [:]
                for (v, r) in zip(flux, regions) where r > 0 { members[group(r), default: []].append(v) }
                for (g, var values) in members {
                    let s = RobustStatistics.sigmaClippedSorting(&values)
                    thresholds[g] = (s?.mean ?? 0) + settings.fitThreshold * (s?.standardDeviation ?? 0)
                }
            } else {
                thresholds[0] = (mean - offset) + settings.fitThreshold * rms
            }
        }

        let groupThresholds = thresholds
        let spans = RegionSpan.all(regions: regions, layout: layout)
        var results = [Result<RegionModel, RegionSkipError>?](repeating: nil, count: spans.count)
        let alpha = input.geometry.alpha
        results.withUnsafeMutableBufferPointer { rp in
            let out = SharedBuffer(rp)
            Parallel.forEach(spans.count, chunks: spans.count) { range in
                for s in range {
                    let threshold = settings.fitThreshold > 0 ? groupThresholds[input.thresholdGroup?(spans[s].id) ?? 0] : nil
                    out[s] = RegionProfileFit.fit(
                        span: spans[s], flux: flux, alpha: alpha, layout: layout, settings: settings,
                        peakThreshold: threshold)
                }
            }
        }
        var models: [RegionModel?] = []
        var notes: [String] = []
        for (span, result) in zip(spans, results) {
            switch result {
            case .success(let model)?: models.append(model)
            case .failure(let skip)?:
                models.append(nil)
                switch skip.reason {
                case .allNaN: notes.append("region \(span.id): skipped, no finite data")
                case .tooFewPixels: notes.append("region \(span.id): skipped, too few pixels per column to fit")
                case .noFit: notes.append("region \(span.id): skipped, no column could be fitted")
                case .belowThreshold: break
                }
            case nil: models.append(nil)
            }
        }
        // The reference bins every region's high-slope positions with the knot count of the first model it met.
        let histogramBins = models.lazy.compactMap { $0?.firstModelIntervals }.first ?? 0
        let compact = zip(spans, models).map { span, model in
            model.map {
                compactSource(model: $0, bins: histogramBins, alpha: alpha, regions: regions, layout: layout, settings: settings)
            }
        }
        var output = ColumnOversampler.oversample(
            input: input, flux: flux, offset: offset, spans: spans, models: models,
            compact: compact, settings: settings)
        output.modelledRegions = zip(spans, models).compactMap { $1 == nil ? nil : $0.id }
        output.notes = notes
        return output
    }

    /// High-slope positions of a region's model at its native pixels, and the compact-source peaks they define.
    static func compactSource(
        model: RegionModel, bins: Int, alpha: [Float], regions: [Int32], layout: FrameLayout,
        settings: TraceModelSettings
    ) -> CompactSource {
        if settings.slopeLimit <= 0 { return CompactSource(everywhere: true, peaks: [], halfWidth: 0) }
        let span = model.span
        let edge = settings.oversample == 1 ? 1 : settings.oversample
        var high: [Double] = []
        var slopes: [Double] = [], positions: [Double] = []
        for k in 0..<span.columns.count where model.hasModel(k) && span.rowMin[k] >= 0 {
            let x = span.columns.lowerBound + k
            slopes.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            var previous = 0.0
            // jwst turns MIRI images by +90° before modelling, so it walks each column from the highest detector x
            // down and gives a pixel the step from its neighbour at larger x: walking the same way marks the same
            // pixels high-slope (the other way shifts the compact window by a pixel and leaves the source's flank
            // to linear interpolation).
            let (top, bottom) = (Int(span.rowMax[k]), Int(span.rowMin[k]))
            let walk = layout.sliceAxisIsFast ? stride(from: top, through: bottom, by: -1) : stride(from: bottom, through: top, by: 1)
            for y in walk where regions[layout.index(x, y)] == span.id {
                let a = Double(alpha[layout.index(x, y)])
                let v = model.profile(k, at: a)
                guard v.isFinite else { continue }
                slopes.append(abs(v - previous))
                positions.append(a)
                previous = v
            }
            for j in slopes.indices where j >= edge && j < slopes.count - edge && slopes[j] > settings.slopeLimit {
                high.append(positions[j])
            }
        }
        return CompactSource.find(highSlope: high, bins: bins, nativeStep: model.nativeStep, pad: settings.pad)
    }
}
