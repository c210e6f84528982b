import FITS
import Foundation
import Pipeline

/// Reads one slit of an `_cal` exposure into a `SlitFrame`: the SCI/DQ/VAR_*/WAVELENGTH tuple of the given EXTVER
/// (by default the slit named by FXD_SLIT, or the first one), transposed when DISPAXIS = 2, with weights from the variances and
/// zero weight on pixels whose DQ carries any unusable bit (not ASSET's DQ ≤ 6, which keeps DO_NOT_USE pixels).
public struct SlitInput: Sendable {
    public var frame: SlitFrame
    /// Multiply the fitted flux by this to get Jy.
    public var toJansky: Double
    /// Multiply a per-pixel value in the inputs' unit by this to get MJy/sr; NaN when the pixel area is unknown.
    public var toMegajanskyPerSteradian: Double
    /// The Poisson, read-noise and flat-field parts of each pixel's variance (spectrograph order, like `frame`);
    /// a part the file lacks is zero, and a file with only ERR gives its whole variance as the Poisson part.
    public var varianceParts: [[Double]]
    public var scienceHeader: Header
    /// 1 when the dispersion runs along the detector's x axis, 2 along y (jwst's DISPAXIS).
    public var dispersionAxis: Int
    public var version: Int

    public init(_ exposure: Exposure, version wanted: Int? = nil) throws(SlitExtractionError) {
        let file = exposure.name.fileName
        let slit = exposure.kind.fixedSlit
        let sciences = exposure.hdus.filter { $0.name == "SCI" }
        let chosen =
            wanted.map { v in sciences.first { $0.version == v } }
            ?? sciences.first(where: { !slit.isEmpty && $0.header.string("SLTNAME")?.uppercased() == slit }) ?? sciences.first
        guard let sci = chosen, let image = sci.image else {
            throw SlitExtractionError("\(file): no SCI image extension")
        }
        let extver = sci.version
        let axes = image.axes
        guard axes.count == 2, axes[0] >= 4, axes[1] >= 4 else {
            throw SlitExtractionError("\(file): SCI is \(axes.map(String.init).joined(separator: "x")), a 2-D slit cut-out is needed")
        }
        func plane(_ name: String) throws(SlitExtractionError) -> [Float]? {
            guard let hdu = exposure.hdu(name, version: extver) else { return nil }
            guard let data = hdu.image, data.axes == axes else {
                throw SlitExtractionError("\(file): \(name) does not match SCI's shape \(axes.map(String.init).joined(separator: "x"))")
            }
            return data.floats().pixels
        }
        guard let wavelength = try plane("WAVELENGTH") else {
            throw SlitExtractionError(
                "\(file): no WAVELENGTH extension; the asset step needs each pixel's wavelength (run the jwst spec2 pipeline with WAVELENGTH output)"
            )
        }
        var parts = try ["VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"].map { name throws(SlitExtractionError) in try plane(name) }
        if parts.allSatisfy({ $0 == nil }) {
            guard let err = try plane("ERR") else { throw SlitExtractionError("\(file): neither VAR_* nor ERR extensions give the noise") }
            parts[0] = err.map { $0 * $0 }
        }
        var science = image.floats().pixels
        if let shadow = try plane("BARSHADOW"), BarShadow.wasApplied(shadow, science: sci.header) {
            BarShadow.undo(shadow, science: &science, variances: &parts)
        }
        let present = parts.compactMap { $0 }
        var variance = present[0]
        for v in present.dropFirst() { for i in variance.indices { variance[i] += v[i] } }
        let dq: [UInt32] = exposure.hdu("DQ", version: extver)?.image?.unsigned32().pixels ?? []
        let unusable = DataQuality.unusable.rawValue
        let mask = dq.count == variance.count ? dq.map { $0 & unusable != 0 } : [Bool](repeating: false, count: variance.count)
        let axis = sci.header.integer("DISPAXIS") ?? (exposure.kind.instrument == "MIRI" ? 2 : 1)
        dispersionAxis = axis
        frame = SlitFrame.fromDetector(
            name: file, width: axes[0], height: axes[1], dispersionAlongY: axis == 2,
            science: science, variance: variance, wavelength: wavelength, unusable: mask)
        frame.nodSubtracted = exposure.primaryHeader.string("S_BKDSUB")?.uppercased() == "COMPLETE"
        frame.nodPosition = NodPosition.read(sci.header)
        varianceParts = parts.map { part in
            SlitFrame.spectrographOrder(
                part ?? [Float](repeating: 0, count: variance.count), width: axes[0], height: axes[1],
                dispersionAlongY: axis == 2)
        }
        version = extver
        scienceHeader = sci.header
        let unit = (sci.header.string("BUNIT") ?? "").trimmingCharacters(in: .whitespaces)
        let pixelArea = (sci.header.real("PIXAR_SR") ?? exposure.primaryHeader.real("PIXAR_SR")).flatMap { $0 > 0 ? $0 : nil }
        switch unit.lowercased() {
        case "mjy":
            toJansky = 1e6
            toMegajanskyPerSteradian = pixelArea.map { 1 / $0 } ?? .nan
        case "mjy/sr":
            guard let pixelArea else { throw SlitExtractionError("\(file): SCI is in MJy/sr but PIXAR_SR (pixel area) is missing") }
            toJansky = 1e6 * pixelArea
            toMegajanskyPerSteradian = 1
        default:
            throw SlitExtractionError("\(file): SCI unit '\(unit)' is not MJy or MJy/sr (a calibrated _cal file is needed)")
        }
    }
}
