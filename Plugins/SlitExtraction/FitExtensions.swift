import FITS
import Pipeline

/// Webbflow's own results of one slit's extraction, in extensions jwst does not read (EXTVER = the spectrum's):
/// `WBF_BOX` the comparison box extraction, `WBF_PSF` the fitted PSF law and fit diagnostics, `WBF_DITHERS` each
/// dither's trace, tilt, flux scale and rejected pixels, and on request `WBF_MODEL` / `WBF_PIXDQ` per dither.
enum FitExtensions {
    static func hdus(_ r: ExtractionResult, slits: [SlitInput], inputs: [Exposure], version: Int, boxHalfWidth: Double) -> [HDU] {
        [
            box(r, jansky: slits[0].toJansky, version: version, halfWidth: boxHalfWidth), psf(r, version: version),
            dithers(r, inputs: inputs, version: version),
        ]
    }

    private static func versioned(_ version: Int) -> Header {
        var h = Header()
        h.set("EXTVER", .integer(version))
        return h
    }

    private static func box(_ r: ExtractionResult, jansky: Double, version: Int, halfWidth: Double) -> HDU {
        var h = versioned(version)
        h.set("BOXHALFW", .real(halfWidth), comment: "[px] half-height of the aperture around the fitted trace")
        h.addComment("Sum over the aperture, fitted background subtracted, mean over the dithers.")
        let table = Table(columns: [
            TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(r.wavelength)),
            TableColumn(name: "FLUX", unit: "Jy", data: .float64(r.boxFlux.map { $0 * jansky })),
            TableColumn(name: "FLUX_ERROR", unit: "Jy", data: .float64(r.boxFluxError.map { $0 * jansky })),
        ])
        return HDU(name: "WBF_BOX", table: table, header: h)
    }

    private static func psf(_ r: ExtractionResult, version: Int) -> HDU {
        var h = versioned(version)
        h.set("PSFMODEL", .string(r.psf.shape.rawValue.uppercased()), comment: "PSF across the slit, pixel-integrated")
        h.set("PSF_A", .real(r.psf.a), comment: "[px2/um2] sigma^2 = PSF_A lambda^2 + PSF_B")
        h.set("PSF_B", .real(r.psf.b), comment: "[px2] PSF width floor")
        if r.psf.shape == .moffat { h.set("PSF_BETA", .real(r.psf.beta), comment: "Moffat wing index") }
        h.set("SMOOTHMU", .real(r.smoothingWeight), comment: "smoothness weight on first differences")
        h.set("SMOOTHRL", .string(r.smoothingRule), comment: "how the smoothness weight was chosen")
        h.set("NITER", .integer(r.iterations), comment: "alternating iterations")
        h.set("REDCHI2", .real(r.reducedChiSquare.isFinite ? r.reducedChiSquare : 0), comment: "weighted residual per degree of freedom")
        h.set(
            "TRCPLACE", .string(r.placedFromHeaders ? "HEADERS" : "SEARCH"),
            comment: "traces first placed from SHUTSTA/SRCYPOS or found")
        let table = Table(columns: [
            TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(r.wavelength)),
            TableColumn(name: "SIGMA", unit: "pixel", data: .float64(r.wavelength.map { r.psf.sigma(at: $0) })),
        ])
        return HDU(name: "WBF_PSF", table: table, header: h)
    }

    private static func dithers(_ r: ExtractionResult, inputs: [Exposure], version: Int) -> HDU {
        var h = versioned(version)
        h.set("TRCREF", .real(r.referenceColumn), comment: "dispersion pixel (0-based) of TRACE_Y")
        let names = inputs.map(\.name.fileName)
        let table = Table(columns: [
            TableColumn(name: "FILENAME", data: .string(names, width: names.map(\.utf8.count).max() ?? 1)),
            TableColumn(name: "TRACE_Y", unit: "pixel", data: .float64(r.traceCentres)),
            TableColumn(name: "TILT", data: .float64(r.traceTilts)),
            TableColumn(name: "FLUX_SCALE", data: .float64(r.frameScales)),
            TableColumn(name: "NREJECT", data: .int32(r.rejectedCounts.map { Int32($0) })),
        ])
        return HDU(name: "WBF_DITHERS", table: table, header: h)
    }

    /// The model and the pixel DQ (the input's, with OUTLIER on pixels the fit rejected) of every dither, in the
    /// inputs' orientation; EXTVER numbers the dithers from `firstVersion`.
    static func modelHDUs(_ r: ExtractionResult, slits: [SlitInput], inputs: [Exposure], firstVersion: Int) -> [HDU] {
        slits.enumerated().flatMap { i, slit in
            let frame = slit.frame
            let alongY = slit.dispersionAxis == 2
            let (width, height) = alongY ? (frame.cross, frame.length) : (frame.length, frame.cross)
            var model = [Float](repeating: 0, count: width * height), quality = [UInt32](repeating: 0, count: width * height)
            let inputDQ = inputs[i].hdu("DQ", version: slit.version)?.image?.unsigned32().pixels
            for j in 0..<frame.cross {
                for k in 0..<frame.length {
                    let d = alongY ? k * width + j : j * width + k, s = j * frame.length + k
                    model[d] = Float(r.model[i][s])
                    quality[d] = (inputDQ?[d] ?? 0) | (r.rejected[i][s] && !frame.flagged[s] ? DataQuality.outlier.rawValue : 0)
                }
            }
            var mh = versioned(firstVersion + i)
            mh.set("BUNIT", slit.scienceHeader["BUNIT"] ?? .string(""))
            return [
                HDU(name: "WBF_MODEL", image: Image(axes: [width, height], pixels: model), header: mh),
                HDU(name: "WBF_PIXDQ", image: Image(axes: [width, height], pixels: quality), header: versioned(firstVersion + i)),
            ]
        }
    }
}
