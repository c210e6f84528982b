import Pipeline

/// The `nsclean` step's options: the cleaner's settings plus the user mask and what the product carries besides.
public struct NSCleanOptions: StepOptions {
    /// The fit's settings; which axis detector lines run along comes from the input's FASTAXIS, not from here.
    public var cleaning = CleaningOptions()
    /// FITS file with the background mask (1 = background); empty for the automatic mask.
    public var userMask = ""
    public var saveMask = false
    public var saveBackground = false

    public init() {}

    public static let declarations: [OptionDeclaration<Self>] = [
        .number(
            "n_sigma", \.cleaning.mask.nSigma,
            help: "automatic mask: pixels above the dark level + n_sigma sigma are signal (0 = no clipping)", range: 0...100),
        .text("user_mask", \.userMask, help: "FITS file with the background mask (1 = background) instead of the automatic one"),
        .flag("save_mask", \.saveMask, help: "add the mask used as a MASK extension (uint8, 1 = background)"),
        .flag("save_background", \.saveBackground, help: "add the subtracted model as a BACKGROUND extension"),
        .integer("mask_grow", \.cleaning.mask.grow, help: "automatic mask: grow signal regions by this many pixels", range: 0...50),
        .integer(
            "mask_smoothing", \.cleaning.mask.smoothing,
            help: "automatic mask: average over this many pixels along the dispersion before clipping (1 = none)", range: 1...101),
        .integer(
            "n_frequencies", \.cleaning.frequencies, help: "Fourier frequencies fitted on a 2048-px line (scaled for subarrays)",
            range: 1...64),
        .number(
            "weight_sigma", \.cleaning.weightSigma, help: "sigma (px) of the Gaussian measuring the background-sample density",
            range: 1...1024),
        .number(
            "line_clip_sigma", \.cleaning.lineClipSigma,
            help: "drop background samples beyond this many MAD-sigmas of their line (0 = keep all)", range: 0...100),
    ]
}
