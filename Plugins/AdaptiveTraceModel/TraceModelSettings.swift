/// The instrument mode, which fixes the fit's window, knot density, rejection and column order (the numbers of
/// the reference step, `../shared/reference/jwst-atm-nsclean.md` A.3).
public enum TraceModelMode: Sendable, Equatable {
    /// NIRSpec IFU with a grating; `reversedColumns` for NRS2 (fits run right to left).
    case nirspecGrating(reversedColumns: Bool)
    /// NIRSpec IFU with the PRISM: short window, one knot per native pixel.
    case nirspecPrism(reversedColumns: Bool)
    /// MIRI MRS (in the rotated frame where dispersion runs along x).
    case miriMRS
}

/// Parameters of one trace-model run: the step's four user parameters plus the mode-dependent constants.
public struct TraceModelSettings: Sendable, Equatable {
    /// N: oversampling factor along the slice (1 = attach the trace model only).
    public var oversample: Int
    /// Sigma threshold a region's peak must exceed to be fitted; ≤ 0 fits every region.
    public var fitThreshold: Double
    /// Slope of the normalised profile that marks a compact source; ≤ 0 uses the spline everywhere.
    public var slopeLimit: Double
    /// Isolated point source: fit and use the spline everywhere, without the residual term.
    public var psfOptimal: Bool
    public var mode: TraceModelMode
    /// Also return the separate terms of the combination (`TraceIntermediates`).
    public var saveIntermediate: Bool

    public init(
        oversample: Int = 3, fitThreshold: Double = 10, slopeLimit: Double = 0.1, psfOptimal: Bool = false,
        mode: TraceModelMode, saveIntermediate: Bool = false
    ) {
        self.oversample = max(1, oversample)
        self.fitThreshold = psfOptimal ? 0 : fitThreshold
        self.slopeLimit = psfOptimal ? 0 : slopeLimit
        self.psfOptimal = psfOptimal
        self.mode = mode
        self.saveIntermediate = saveIntermediate
    }

    /// Half-width of the window of neighbouring columns fitted together.
    var windowHalfWidth: Int {
        if case .nirspecPrism = mode { return 10 }
        return 50
    }

    /// Number of knot intervals for a region spanning `nativeLength` native pixels.
    func knotIntervals(nativeLength: Double) -> Int {
        switch mode {
        case .nirspecGrating: max(4, Int(2.0 * nativeLength))
        case .nirspecPrism: max(4, Int(1.0 * nativeLength))
        case .miriMRS: 36
        }
    }

    /// Columns with no more than this many usable pixels get no fit.
    func requiredGoodPixels(nativeLength: Double) -> Int {
        switch mode {
        case .nirspecGrating: Int(0.5 * nativeLength)
        case .nirspecPrism: Int(0.25 * nativeLength)
        case .miriMRS: 8
        }
    }

    /// A gap in the window's coordinates wider than this many knot spacings makes the fit give up (10 such gaps).
    var spaceRatio: Double {
        if case .miriMRS = mode { return 1.2 }
        return 1.6
    }

    /// Weight of the third-difference penalty on the spline coefficients, relative to the mean data weight per
    /// coefficient (a P-spline; the reference fits without one). Where a window of columns samples only a narrow
    /// band of the profile's sub-pixel phases (slices whose tilt changes slowly), the unpenalised spline is free
    /// between the sampled phases and wiggles at the pixel scale: column fluxes then drift by up to 1.2 % and the
    /// error against the truth grows. The value is the minimum of the rms error against the simulator's truth in
    /// compact-source pixels (bench/atm scene), in a flat basin: 1e-4 … 1e-3 give 11.1 … 10.9 against 11.7
    /// unpenalised; 1e-2 over-smooths the core (17). Checked on other scenes and seeds (N = 3): two close sources
    /// 26.7 → 19.6, point on extended emission 16.1 → 14.2.
    let smoothing = 3e-4
    let rejectionSigma = 2.5
    let fitIterations = 3
    /// Padding (native pixels) around a compact-source peak.
    var pad: Double {
        if case .miriMRS = mode { return 3 }
        return 2
    }
    /// NIRSpec trims the spline at the ends of each column; MIRI does not.
    var trimEnds: Bool {
        if case .miriMRS = mode { return false }
        return true
    }

    /// The order in which columns are fitted (it decides which neighbour a failed column falls back to).
    func columnOrder(_ columns: Range<Int>) -> [Int] {
        switch mode {
        case .nirspecGrating(let reversed), .nirspecPrism(let reversed):
            return reversed ? Array(columns.reversed()) : Array(columns)
        case .miriMRS:
            let middle = columns.lowerBound + columns.count / 2
            return Array(columns.lowerBound...middle) + Array(((middle + 1)..<columns.upperBound).reversed())
        }
    }

    /// Error and variance inflation for the covariance oversampling introduces: X = 0.23 N + 0.77.
    var errorInflation: Double { 0.23 * Double(oversample) + 0.77 }
}
