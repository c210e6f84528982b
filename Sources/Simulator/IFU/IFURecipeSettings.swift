import FITS
import Pipeline

/// The settings both IFU recipes share (scene, source, sampling-phase drift, defects), and how they become a
/// scene, noise and defects.
enum IFURecipeSettings {
    static func common(fwhm: Double, phaseCycle: Double, phaseUnit: String) -> [ParameterSpec] {
        [
            ParameterSpec("scene", default: .text(IFUSceneKind.point.rawValue), help: "what the IFU looks at",
                          choices: IFUSceneKind.allCases.map(\.rawValue)),
            ParameterSpec("flux", default: .real(20000), help: "total flux of the main point source (MJy/sr x px^2 at the short-wavelength end)",
                          range: 0...1e8),
            ParameterSpec("fwhm", default: .real(fwhm), help: "PSF core FWHM along the slice at the short-wavelength end (px)",
                          range: 0.5...5),
            ParameterSpec("alpha", default: .real(0.3), help: "along-slice position of the main source (px from the slice centre)",
                          range: -8...8),
            ParameterSpec("phase_cycle", default: .real(phaseCycle),
                          help: "\(phaseUnit) per full cycle of the sampling phase (the trace's tilt against the pixel grid)",
                          range: 10...5000),
            ParameterSpec("bad_clusters", default: .integer(8), help: "clusters of 2x2 or 3x3 bad pixels (NaN + DO_NOT_USE)", range: 0...10000),
            ParameterSpec("cluster_on_trace", default: .logical(true), help: "put one 3x3 bad cluster on the brightest trace"),
            ParameterSpec("cosmic_rays", default: .integer(40), help: "cosmic-ray hits", range: 0...100000),
            ParameterSpec("cosmics_flagged", default: .logical(true),
                          help: "flag hits as outliers (NaN + DO_NOT_USE + OUTLIER); false leaves them in SCI unflagged"),
        ]
    }

    static func scene(_ settings: ParameterValues, wavelengths: ClosedRange<Double>) -> IFUScene {
        let kind = IFUSceneKind(rawValue: settings.text("scene")) ?? .point
        return kind.scene(wavelengths: wavelengths, flux: settings.real("flux"), fwhm: settings.real("fwhm"),
                          alpha: settings.real("alpha"))
    }

    static func defects(_ settings: ParameterValues) -> IFUDefects {
        IFUDefects(badClusters: settings.integer("bad_clusters"), clusterOnTrace: settings.logical("cluster_on_trace"),
                   cosmicRays: settings.integer("cosmic_rays"), cosmicRaysFlagged: settings.logical("cosmics_flagged"))
    }

    /// Truth primary header: how the scene was made, so tests can recompute what was put in.
    static func truthHeader(_ settings: ParameterValues, scene: IFUScene, noise: IFUNoiseModel) -> Header {
        var h = Header()
        h.addSection("Simulated truth")
        for (name, value) in settings.ordered {
            h.set("SIMSET \(name.uppercased())", value.headerValue, comment: "simulation setting")
        }
        for (k, source) in scene.sources.enumerated() {
            h.set("SRC\(k + 1)_A", .real(source.alpha), comment: "source along-slice position (px)")
            h.set("SRC\(k + 1)_B", .real(source.sky), comment: "source across-slice position (slice widths)")
            h.set("SRC\(k + 1)_F", .real(source.flux), comment: "source total flux (MJy/sr px^2)")
        }
        h.set("GAIN", .real(noise.gain), comment: "electrons per MJy/sr")
        h.set("RNOISE", .real(noise.readNoise), comment: "read noise sigma (MJy/sr)")
        h.set("FLATERR", .real(noise.flatError), comment: "relative flat-field error")
        return h
    }

    static func scienceHeader(sourceType: String) -> Header {
        var h = JWSTHeaders.science(unit: "MJy/sr")
        h.set("SRCTYPE", .string(sourceType), comment: "source type used for calibration")
        h.set("PIXAR_SR", .real(2.35e-13), comment: "nominal pixel area in steradians")
        h.set("PIXAR_A2", .real(0.01), comment: "nominal pixel area in arcsec^2")
        return h
    }
}
