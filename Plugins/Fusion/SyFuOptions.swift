import Pipeline

/// The `syfu` step's options: the solver's settings, the fused field, the PSFs and the quality check.
public struct SyFuOptions: StepOptions {
    public var fusion = FusionSettings()
    public var refine = false
    /// Side of the fused field in spaxels; 0 fuses the whole cube.
    public var fieldSize = 0
    /// Spaxel column and row of the field's centre; -1 for the cube's centre.
    public var fieldX = -1
    public var fieldY = -1
    /// FITS PSFs replacing the physical ones; empty for the physical ones.
    public var nircamPSF = ""
    public var nirspecPSF = ""
    /// NIRCam filter left out of the fit and predicted; empty fits them all.
    public var holdout = ""

    public init() {}

    public static let declarations: [OptionDeclaration<Self>] = [
        .integer("rank", \.fusion.rank, help: "subspace rank; 0 chooses it from the noise level", range: 0...30),
        .number(
            "gamma_scale", \.fusion.gammaScale, help: "weight of the NIRSpec term relative to the noise-derived gamma", range: 1e-4...1e4),
        .number(
            "mu_scale", \.fusion.muScale, help: "weight of the Sobolev regularisation relative to the noise-derived mu", range: 1e-4...1e4),
        .integer("padding", \.fusion.padding, help: "mirror padding around the field, spaxels", range: 1...32),
        .flag("refine", \.refine, help: "refine the WCS registration by phase correlation (always on for TARGTYPE = MOVING)"),
        .integer("fov_size", \.fieldSize, help: "side of the fused field in spaxels; 0 fuses the whole cube", range: 0...1000),
        .integer("fov_x", \.fieldX, help: "spaxel column of the field's centre; -1 for the cube's centre", range: -1...10_000),
        .integer("fov_y", \.fieldY, help: "spaxel row of the field's centre; -1 for the cube's centre", range: -1...10_000),
        .text("nircam_psf", \.nircamPSF, help: "FITS PSF image or cube (PIXELSCL, WAVE axis) replacing the physical NIRCam PSF"),
        .text("nirspec_psf", \.nirspecPSF, help: "FITS PSF image or cube replacing the physical NIRSpec IFU PSF (without the spaxel)"),
        .text("holdout", \.holdout, help: "NIRCam filter to leave out of the fit and predict (quality check)"),
    ]
}
