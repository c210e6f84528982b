import FITS
import Pipeline

/// One EXTRACT1D extension exactly as jwst 3.0 writes it (stdatamodels' `spectable` schema: 18 columns in a fixed
/// order and type, with the units extract_1d gives calibrated data) and the spectrum keywords of `specmeta`.
///
/// Filled the way jwst fills a PSF-weighted ("optimal") extraction: SURF_BRIGHT and its errors are 0, since a
/// surface brightness has no meaning without an aperture; DQ is DO_NOT_USE where no pixel constrains the sample;
/// BACKGROUND is the fitted background at the trace in MJy/sr, its errors NaN (the fit eliminates the background
/// without an error of its own) or all 0 when no background was fitted.
enum SpectrumTable {
    /// Keywords of the slit's SCI header that jwst copies into the spectrum's header (`specmeta`).
    private static let slitKeywords = [
        "SLTNAME", "SLITID", "SOURCEID", "SRCNAME", "SRCALIAS", "STLARITY", "SRCTYPE",
        "SRCXPOS", "SRCYPOS", "SRCRA", "SRCDEC", "SHUTSTA", "SLIT_RA", "SLIT_DEC", "PA_APER",
    ]

    static func hdu(_ r: ExtractionResult, slits: [SlitInput], detector: String?, version: Int, backgroundFitted: Bool) -> HDU {
        let jy = slits[0].toJansky, sb = slits[0].toMegajanskyPerSteradian
        let n = r.flux.count
        let flux = r.flux.map { $0 * jy }, error = r.fluxError.map { $0 * jy }
        let shares = FluxVarianceSplit(result: r, slits: slits).shares
        func fluxVariance(_ part: Int) -> [Double] { (0..<n).map { error[$0] * error[$0] * shares[$0][part] } }
        let dq = (0..<n).map { r.unconstrained[$0] || !flux[$0].isFinite ? DataQuality.doNotUse.rawValue : 0 }
        var values: [String: [Double]] = [
            "WAVELENGTH": r.wavelength, "FLUX": flux, "FLUX_ERROR": error, "FLUX_VAR_POISSON": fluxVariance(0),
            "FLUX_VAR_RNOISE": fluxVariance(1), "FLUX_VAR_FLAT": fluxVariance(2), "NPIXELS": r.pixelCount.map(Double.init),
        ]
        if backgroundFitted {
            values["BACKGROUND"] = r.backgroundAtTrace.map { $0 * sb }
            for name in ["BKGD_ERROR", "BKGD_VAR_POISSON", "BKGD_VAR_RNOISE", "BKGD_VAR_FLAT"] {
                values[name] = [Double](repeating: .nan, count: n)
            }
        }
        let table = SpectrumTableLayout.table(values, dq: dq)
        return HDU(name: "EXTRACT1D", table: table, header: header(slits[0], detector: detector, version: version))
    }

    private static func header(_ slit: SlitInput, detector: String?, version: Int) -> Header {
        let science = slit.scienceHeader
        var h = Header()
        h.set("EXTVER", .integer(version))
        for key in slitKeywords { if let v = science[key] { h.set(key, v) } }
        // The asset step extracts the one source of the slit; jwst numbers the primary fixed slit's source 1.
        if science["SOURCEID"] == nil { h.set("SOURCEID", .integer(1), comment: "Source ID number") }
        h.set("SPORDER", science["SPORDER"] ?? .integer(1), comment: "Spectral order number")
        h.set("DISPAXIS", .integer(slit.dispersionAxis), comment: "Dispersion direction")
        if let detector { h.set("DETECTOR", .string(detector), comment: "Name of detector used to acquire the data") }
        // The fit uses every row of the cut-out (1-based limits, x along the detector's first axis, as jwst records them).
        let (width, height) = slit.dispersionAxis == 2 ? (slit.frame.cross, slit.frame.length) : (slit.frame.length, slit.frame.cross)
        h.set("EXTRXSTR", .integer(1), comment: "X axis start of extraction region")
        h.set("EXTRXSTP", .integer(width), comment: "X axis end of extraction region")
        h.set("EXTRYSTR", .integer(1), comment: "Y axis start of extraction region")
        h.set("EXTRYSTP", .integer(height), comment: "Y axis end of extraction region")
        return h
    }
}
