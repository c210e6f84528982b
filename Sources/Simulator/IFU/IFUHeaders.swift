import FITS
import Pipeline

/// Headers both IFU recipes write.
enum IFUHeaders {
    /// Truth primary header: how the scene was made, so tests can recompute what was put in.
    static func truthHeader(_ settings: some StepOptions, scene: IFUScene, noise: IFUNoiseModel) -> Header {
        var h = Header()
        h.addSection("Simulated truth")
        for (name, value) in settings.values {
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

    /// The SCI header: units, source type, pixel area and the pointing (the IFU's WCS is in the gwcs only).
    static func scienceHeader(sourceType: String, aperture: SIAFAperture) -> Header {
        var h = JWSTHeaders.science(unit: "MJy/sr", pointing: TelescopePointing(aperture: aperture, at: JWSTHeaders.defaultTarget))
        h.set("SRCTYPE", .string(sourceType), comment: "source type used for calibration")
        h.set("PIXAR_SR", .real(2.35e-13), comment: "nominal pixel area in steradians")
        h.set("PIXAR_A2", .real(0.01), comment: "nominal pixel area in arcsec^2")
        return h
    }

    /// The primary keywords of a spec2 product: full frame, photometric calibration done, the spec2 association.
    static func addCalibration(to primary: inout Header, identity: ExposureIdentity) {
        primary.set("SUBARRAY", .string("FULL"), comment: "Subarray used")
        primary.set("S_PHOTOM", .string("COMPLETE"), comment: "Photometric Calibration")
        JWSTHeaders.association(stage: "spec2", identity: identity, into: &primary)
    }
}
