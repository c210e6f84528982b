import Numerics
import Pipeline

/// The `asset` step's options: the extraction's settings and whether the product carries the models.
public struct AssetOptions: StepOptions {
    /// How the spectrum's smoothness weight is chosen, by name (`SmoothingChoice` with the weight of `fixed`).
    public enum Smoothing: String, Sendable, CaseIterable { case gcv, discrepancy, fixed }

    public var extraction = ExtractionOptions()
    public var smoothing = Smoothing.gcv
    /// Smoothness weight relative to the data term, used with `fixed`.
    public var smoothingWeight = 1e-3
    public var saveModel = false

    public init() {}

    public static let declarations: [OptionDeclaration<Self>] = [
        .choice("psf", \.extraction.psfShape, help: "PSF model across the slit (sigma^2 = a lambda^2 + b)"),
        .choice("smoothing", \.smoothing, help: "how to choose the spectrum's smoothness weight"),
        .number(
            "smoothing_weight", \.smoothingWeight, help: "smoothness weight relative to the data term (smoothing=fixed)", range: 0...1e6),
        .number(
            "clip_sigma", \.extraction.clipSigma, help: "reject pixels whose normalised residual exceeds this many robust sigmas (0: off)",
            range: 0...100),
        .integer("max_iterations", \.extraction.maxIterations, help: "alternating iterations at most", range: 1...200),
        .flag("fit_offsets", \.extraction.fitOffsets, help: "fit each dither's trace offset and tilt"),
        .flag("fit_frame_scale", \.extraction.fitFrameScale, help: "fit each dither's flux scale"),
        .flag(
            "fit_background", \.extraction.fitBackground, help: "fit a background shared by the dithers (linear across the slit per column)"
        ),
        .number("box_half_width", \.extraction.boxHalfWidth, help: "half-height of the comparison box extraction (px)", range: 0.5...50),
        .choice(
            "trace_placement", \.extraction.tracePlacement,
            help:
                "search: find each nod's trace (a source too faint for that is placed from the nods' SRCYPOS, and SHUTSTA for MOS); headers: place the traces that way always"
        ),
        .flag("save_model", \.saveModel, help: "also write the model and pixel DQ (OUTLIER on rejected pixels) of every dither"),
    ]

    /// The extraction's settings, with the smoothing choice resolved.
    var resolved: ExtractionOptions {
        var options = extraction
        options.smoothing =
            switch smoothing {
            case .gcv: .gcv
            case .discrepancy: .discrepancy
            case .fixed: .fixed(smoothingWeight)
            }
        return options
    }
}
