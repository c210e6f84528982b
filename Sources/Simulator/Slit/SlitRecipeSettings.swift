import Pipeline

/// A slit recipe's settings: the shared scene plus the recipe's own.
protocol SlitRecipeSettings: StepOptions {
    var program: Int { get set }
    var scene: SlitScene { get set }
}

extension SlitRecipeSettings {
    /// The `--set` keys of the shared scene.
    static var sceneDeclarations: [OptionDeclaration<Self>] {
        [
            .program(\.program),
            .integer("dithers", \.scene.dithers, help: "dither/nod positions (one file each)", range: 1...9),
            .integer("length", \.scene.length, help: "pixels along the dispersion", range: 64...2048),
            .integer("cross", \.scene.cross, help: "pixels across the slit", range: 12...128),
            .number(
                "nod_spacing", \.scene.nodSpacing,
                help: "pixels between dither positions along the slit (0: spread over the middle 60% of the slit)", range: 0...40),
            .number("pointing_error", \.scene.pointingError, help: "rms sub-pixel pointing error per dither (px)", range: 0...2),
            .number(
                "source_offset", \.scene.sourceOffset,
                help: "offset of the source from the slit centre (px); large values put it off the slit", range: -200...200),
            .choice("psf", \.scene.psf, help: "PSF shape across the slit"),
            .number("psf_a", \.scene.psfA, help: "chromatic PSF term a in sigma^2 = a lambda^2 + b (px^2/um^2)", range: 0...1),
            .number("psf_b", \.scene.psfB, help: "PSF width floor b (px^2, before pixel integration)", range: 0...9),
            .number("psf_beta", \.scene.psfBeta, help: "Moffat wing index beta", range: 1...10),
            .number("trace_slope", \.scene.traceSlope, help: "trace tilt (cross px per dispersion px)", range: -0.05...0.05),
            .number("trace_curvature", \.scene.traceCurvature, help: "trace curvature (cross px per px^2)", range: -1e-4...1e-4),
            .number(
                "wavelength_tilt", \.scene.wavelengthTilt, help: "shift of iso-wavelength lines per cross pixel (px)", range: -0.2...0.2),
            .integer("features", \.scene.features, help: "absorption features in the source spectrum", range: 0...40),
            .number("continuum", \.scene.continuum, help: "source continuum at mid-band (Jy)", range: 1e-9...1e3),
            .number("peak_snr", \.scene.peakSNR, help: "signal-to-noise of the brightest source pixel at mid-band", range: 1...1e5),
            .number(
                "background", \.scene.background,
                help: "background per pixel as a fraction of the peak source pixel at mid-band", range: 0...100),
            .number(
                "bad_pixel_fraction", \.scene.badPixelFraction, help: "fraction of pixels flagged DO_NOT_USE (NaN or garbage values)",
                range: 0...0.5),
            .number(
                "cosmic_ray_fraction", \.scene.cosmicRayFraction, help: "fraction of pixels hit by cosmic rays left unflagged",
                range: 0...0.2),
            .number(
                "flagged_cosmic_ray_fraction", \.scene.flaggedCosmicRayFraction,
                help: "fraction of pixels hit by cosmic rays flagged JUMP_DET", range: 0...0.2),
        ]
    }
}
