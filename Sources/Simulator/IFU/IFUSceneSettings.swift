import Pipeline

/// What both IFU recipes share — scene, source, sampling-phase drift, defects — with each instrument's own defaults.
public struct IFUSceneSettings: Sendable {
    public var scene = IFUSceneKind.point
    public var flux = 20000.0
    public var fwhm: Double
    public var alpha = 0.3
    public var phaseCycle: Double
    public var badClusters = 8
    public var clusterOnTrace = true
    public var cosmicRays = 40
    public var cosmicsFlagged = true
    public var regions = true

    init(fwhm: Double, phaseCycle: Double) {
        self.fwhm = fwhm
        self.phaseCycle = phaseCycle
    }

    func scene(wavelengths: ClosedRange<Double>) -> IFUScene {
        scene.scene(wavelengths: wavelengths, flux: flux, fwhm: fwhm, alpha: alpha)
    }

    var defects: IFUDefects {
        IFUDefects(badClusters: badClusters, clusterOnTrace: clusterOnTrace, cosmicRays: cosmicRays, cosmicRaysFlagged: cosmicsFlagged)
    }
}

/// An IFU recipe's settings: the shared scene plus the recipe's own.
protocol IFURecipeSettings: StepOptions {
    var program: Int { get set }
    var ifu: IFUSceneSettings { get set }
}

extension IFURecipeSettings {
    /// The `--set` keys of the shared scene; `phaseUnit` names what the sampling phase cycles over.
    static func sceneDeclarations(phaseUnit: String) -> [OptionDeclaration<Self>] {
        [
            .program(\.program),
            .choice("scene", \.ifu.scene, help: "what the IFU looks at"),
            .number(
                "flux", \.ifu.flux, help: "total flux of the main point source (MJy/sr x px^2 at the short-wavelength end)", range: 0...1e8),
            .number("fwhm", \.ifu.fwhm, help: "PSF core FWHM along the slice at the short-wavelength end (px)", range: 0.5...5),
            .number("alpha", \.ifu.alpha, help: "along-slice position of the main source (px from the slice centre)", range: -8...8),
            .number(
                "phase_cycle", \.ifu.phaseCycle,
                help: "\(phaseUnit) per full cycle of the sampling phase (the trace's tilt against the pixel grid)", range: 10...5000),
            .integer("bad_clusters", \.ifu.badClusters, help: "clusters of 2x2 or 3x3 bad pixels (NaN + DO_NOT_USE)", range: 0...10000),
            .flag("cluster_on_trace", \.ifu.clusterOnTrace, help: "put one 3x3 bad cluster on the brightest trace"),
            .integer("cosmic_rays", \.ifu.cosmicRays, help: "cosmic-ray hits", range: 0...100000),
            .flag(
                "cosmics_flagged", \.ifu.cosmicsFlagged,
                help: "flag hits as outliers (NaN + DO_NOT_USE + OUTLIER); false leaves them in SCI unflagged"),
            .flag(
                "regions", \.ifu.regions,
                help: "write the REGIONS slice map (jwst writes it for NIRSpec IFU from CAL_VER 1.19; MIRI MRS cal files have none)"),
        ]
    }
}
