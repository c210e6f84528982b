import FITS
import Pipeline

/// Reads the arrays and geometry of a `_cal` exposure, as stored (detector layout), with the frame layout that
/// puts the dispersion along the working x (MIRI MRS disperses along detector y).
enum TraceModelInputReader {
    static let varianceNames = ["VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"]

    /// MIRI MRS regions are 100 * channel + slice; thresholds are set per channel.
    @Sendable static func miriChannel(_ region: Int32) -> Int32 { region / 100 }

    static func read(_ exposure: Exposure, dispersionAlongY: Bool) throws -> TraceModelInput {
        let file = exposure.name.fileName
        let sci = try exposure.floatImage("SCI")
        let layout = FrameLayout(detectorAxes: sci.axes, dispersionAlongY: dispersionAlongY)
        func optionalFloat(_ name: String) throws -> [Float]? {
            guard exposure.hdu(name)?.image != nil else { return nil }
            let image = try exposure.floatImage(name)
            guard image.axes == sci.axes else { throw ExposureError("\(file): \(name) is \(image.axes), SCI is \(sci.axes)") }
            return image.pixels
        }
        let flux = sci.pixels
        let dq = exposure.hdu("DQ")?.image != nil ? try exposure.unsignedImage("DQ").pixels : [UInt32](repeating: 0, count: layout.count)
        let wavelength = try optionalFloat("WAVELENGTH")
        var regions: [Int32]? = nil
        if let image = exposure.hdu("REGIONS")?.image {
            let r = image.signed32()
            if r.axes == sci.axes, r.pixels.contains(where: { $0 > 0 }) { regions = r.pixels }
        }
        if regions == nil {
            regions = TraceGeometry.footprintRegions(finite: (wavelength ?? flux).map { $0.isFinite }, layout: layout)
        }
        guard let regions else {
            throw ExposureError("\(file): no REGIONS extension and no NaN footprint to find the slices from")
        }
        let geometry =
            if let alpha = try optionalFloat("ALPHA") {
                TraceGeometry(layout: layout, regions: regions, alpha: alpha)
            } else {
                TraceGeometry(layout: layout, regions: regions)
            }
        var variances: [String: [Float]] = [:]
        for name in varianceNames { if let v = try optionalFloat(name) { variances[name] = v } }
        let error = try optionalFloat("ERR")
        // Flux densities per pixel (not per steradian) are split between the N new pixels.
        let unit = exposure.hdu("SCI")?.header.string("BUNIT")?.lowercased() ?? ""
        return TraceModelInput(
            flux: flux, error: error, variances: variances, dq: dq, wavelength: wavelength, geometry: geometry,
            fluxPerPixel: ["mjy", "jy"].contains(unit),
            thresholdGroup: dispersionAlongY ? miriChannel : nil)
    }
}
