import FITS
import Numerics
import Pipeline

/// Writes an extraction as a JWST x1d product: the first input's primary header (MultiSpecModel, S_EXTR1D),
/// one EXTRACT1D table (WAVELENGTH µm, FLUX/FLUX_ERROR Jy, DQ, NPIXELS, BOX_FLUX/BOX_FLUX_ERROR Jy) whose header
/// carries the fitted PSF law, the dithers' trace centres, tilts, scales and rejected pixels, and optionally the
/// model and the pixel DQ (with OUTLIER on rejected pixels) of every dither in the inputs' orientation.
enum X1DProduct {
    static func hdus(result r: ExtractionResult, inputs: [Exposure], slits: [SlitInput], fileName: String, saveModel: Bool) -> [HDU] {
        var primary = inputs[0].primaryHeader
        primary.set("FILENAME", .string(fileName), comment: "Name of the file")
        primary.set("DATAMODL", .string("MultiSpecModel"), comment: "Type of data model")
        primary.set("S_EXTR1D", .string("COMPLETE"), comment: "Spectral extraction (Webbflow asset)")
        primary.set("NINPUTS", .integer(inputs.count), comment: "dithers extracted together")

        let jy = slits[0].toJansky
        let dq: [UInt32] = r.unconstrained.map { $0 ? DataQuality.doNotUse.rawValue : 0 }
        let table = Table(columns: [
            TableColumn(name: "WAVELENGTH", unit: "um", data: .float64(r.wavelength)),
            TableColumn(name: "FLUX", unit: "Jy", data: .float64(r.flux.map { $0 * jy })),
            TableColumn(name: "FLUX_ERROR", unit: "Jy", data: .float64(r.fluxError.map { $0 * jy })),
            TableColumn(name: "DQ", data: .uint32(dq)),
            TableColumn(name: "NPIXELS", data: .float64(r.pixelCount.map(Double.init))),
            TableColumn(name: "BOX_FLUX", unit: "Jy", data: .float64(r.boxFlux.map { $0 * jy })),
            TableColumn(name: "BOX_FLUX_ERROR", unit: "Jy", data: .float64(r.boxFluxError.map { $0 * jy })),
        ])
        var h = Header()
        h.set("EXTVER", .integer(1))
        for key in ["SLTNAME", "SRCTYPE", "DISPAXIS", "SPORDER"] { if let v = slits[0].scienceHeader[key] { h.set(key, v) } }
        h.addSection("ASSET joint fit")
        h.set("PSFMODEL", .string(r.psf.shape.rawValue.uppercased()), comment: "PSF across the slit, pixel-integrated")
        h.set("PSF_A", .real(r.psf.a), comment: "[px2/um2] sigma^2 = PSF_A lambda^2 + PSF_B")
        h.set("PSF_B", .real(r.psf.b), comment: "[px2] PSF width floor")
        if r.psf.shape == .moffat { h.set("PSF_BETA", .real(r.psf.beta), comment: "Moffat wing index") }
        h.set("SMOOTHMU", .real(r.smoothingWeight), comment: "smoothness weight on first differences")
        h.set("SMOOTHRL", .string(r.smoothingRule), comment: "how the smoothness weight was chosen")
        h.set("NITER", .integer(r.iterations), comment: "alternating iterations")
        h.set("REDCHI2", .real(r.reducedChiSquare.isFinite ? r.reducedChiSquare : 0), comment: "weighted residual per degree of freedom")
        h.set("TRCREF", .real(r.referenceColumn), comment: "dispersion pixel (0-based) of the trace centres")
        for (i, input) in inputs.enumerated() {
            h.set("TRCY\(i + 1)", .real(r.traceCentres[i]), comment: "trace centre (0-based cross px) of input \(i + 1)")
            h.set("TRCTLT\(i + 1)", .real(r.traceTilts[i]), comment: "fitted tilt correction (px/px) of input \(i + 1)")
            h.set("FSCALE\(i + 1)", .real(r.frameScales[i]), comment: "fitted flux scale of input \(i + 1)")
            h.set("NREJ\(i + 1)", .integer(r.rejectedCounts[i]), comment: "pixels rejected as outliers in input \(i + 1)")
            h.set("ASSETIN\(i + 1)", .string(input.name.fileName), comment: "input \(i + 1)")
        }
        var hdus = [HDU(header: primary), HDU(name: "EXTRACT1D", table: table, header: h)]
        guard saveModel else { return hdus }
        for (i, slit) in slits.enumerated() {
            let frame = slit.frame
            let alongY = (slit.scienceHeader.integer("DISPAXIS") ?? 1) == 2
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
            var mh = Header()
            mh.set("EXTVER", .integer(i + 1))
            mh.set("BUNIT", slits[i].scienceHeader["BUNIT"] ?? .string(""))
            var dh = Header()
            dh.set("EXTVER", .integer(i + 1))
            hdus.append(HDU(name: "MODEL", image: Image(axes: [width, height], pixels: model), header: mh))
            hdus.append(HDU(name: "DQ", image: Image(axes: [width, height], pixels: quality), header: dh))
        }
        return hdus
    }
}
