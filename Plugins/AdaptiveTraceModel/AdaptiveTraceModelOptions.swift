import Pipeline

/// The `atm` step's options; the instrument mode comes from the input, not from here.
public struct AdaptiveTraceModelOptions: StepOptions {
    public var oversample = 3
    public var fitThreshold = 10.0
    public var slopeLimit = 0.1
    public var psfOptimal = false
    public var saveIntermediate = false

    public init() {}

    public static let declarations: [OptionDeclaration<Self>] = [
        .integer("oversample", \.oversample, help: "oversampling factor N along the slice (1: attach the trace model only)", range: 1...10),
        .number("fit_threshold", \.fitThreshold, help: "sigma a slice's peak must exceed to be modelled (<= 0: all)"),
        .number("slope_limit", \.slopeLimit, help: "normalised-profile slope marking a compact source (<= 0: spline everywhere)"),
        .flag("psf_optimal", \.psfOptimal, help: "isolated point source: spline everywhere, no residual term"),
        .flag(
            "save_intermediate", \.saveIntermediate,
            help: "also write the terms of the combination: <stem>_spline_full, _spline_used and (N > 1) _linear_interp, _spline_residual"),
    ]

    /// The settings of a run in `mode`.
    func settings(mode: TraceModelMode) -> TraceModelSettings {
        TraceModelSettings(
            oversample: oversample, fitThreshold: fitThreshold, slopeLimit: slopeLimit, psfOptimal: psfOptimal,
            mode: mode, saveIntermediate: saveIntermediate)
    }
}
