import FITS
import Pipeline

/// Reads the arrays and geometry of a `_cal` exposure into the working frame (column-major, dispersion along x).
/// NIRSpec images are transposed; MIRI MRS images (dispersion along y) already have that memory layout.
enum TraceModelInputReader {
    static let varianceNames = ["VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"]

    /// MIRI MRS regions are 100 * channel + slice; thresholds are set per channel.
    @Sendable static func miriChannel(_ region: Int32) -> Int32 { region / 100 }

    static func read(_ exposure: Exposure, dispersionAlongY: Bool) throws -> TraceModelInput {
        let transpose = !dispersionAlongY
        let file = exposure.name.fileName
        let sci = try exposure.floatImage("SCI")
        let (w0, h0) = (sci.width, sci.height)
        func frame<T>(_ pixels: [T]) -> [T] { transpose ? WorkingFrame.transpose(pixels, width: w0, height: h0) : pixels }
        func optionalFloat(_ name: String) throws -> [Float]? {
            guard exposure.hdu(name)?.image != nil else { return nil }
            let image = try exposure.floatImage(name)
            guard image.axes == sci.axes else { throw ExposureError("\(file): \(name) is \(image.axes), SCI is \(sci.axes)") }
            return frame(image.pixels)
        }
        let (w, h) = dispersionAlongY ? (h0, w0) : (w0, h0)
        let flux = frame(sci.pixels)
        let dq = exposure.hdu("DQ")?.image != nil ? frame(try exposure.unsignedImage("DQ").pixels)
            : [UInt32](repeating: 0, count: w * h)
        let wavelength = try optionalFloat("WAVELENGTH")
        var regions: [Int32]? = nil
        if let image = exposure.hdu("REGIONS")?.image {
            let r = image.signed32()
            if r.axes == sci.axes, r.pixels.contains(where: { $0 > 0 }) { regions = frame(r.pixels) }
        }
        if regions == nil {
            let finite = (wavelength ?? flux).map { $0.isFinite }
            regions = TraceGeometry.footprintRegions(finite: finite, width: h, height: w)
        }
        guard let regions else {
            throw ExposureError("\(file): no REGIONS extension and no NaN footprint to find the slices from")
        }
        let geometry = if let alpha = try optionalFloat("ALPHA") {
            TraceGeometry(width: w, height: h, regions: regions, alpha: alpha)
        } else {
            TraceGeometry(width: w, height: h, regions: regions)
        }
        var variances: [String: [Float]] = [:]
        for name in varianceNames { if let v = try optionalFloat(name) { variances[name] = v } }
        let error = try optionalFloat("ERR")
        var channel: (@Sendable (Int32) -> Int32)? = nil
        if dispersionAlongY { channel = miriChannel }
        return TraceModelInput(width: w, height: h, flux: flux, error: error, variances: variances, dq: dq,
                               wavelength: wavelength, geometry: geometry, thresholdGroup: channel)
    }
}
