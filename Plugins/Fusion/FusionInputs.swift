import FITS
import Foundation
import Pipeline

/// The NIRSpec cube of a fusion, read from an `_s3d` exposure: science values (NaN where DQ says DO_NOT_USE),
/// which of them were measured, per-channel noise from ERR, wavelengths, celestial WCS and unit.
struct CubeInput {
    let name: String
    private(set) var width: Int
    private(set) var height: Int
    let wavelengths: [Double]
    var data: [Float]
    /// The voxels that hold a valid value in the file (before any gap filling).
    private(set) var measured: [Bool]
    private(set) var error: [Float]?
    private(set) var wcs: CelestialWCS
    let unit: String
    private(set) var region: SkyRegion?
    private(set) var science: Header

    init(_ exposure: Exposure) throws {
        name = exposure.name.fileName
        guard let sci = exposure.hdu("SCI"), let image = sci.image else { throw FusionError("\(name): no SCI cube") }
        let axes = image.axes
        guard axes.count == 3, axes[0] >= 4, axes[1] >= 4, axes[2] >= 2 else {
            throw FusionError("\(name): SCI is not a cube (axes \(axes.map(String.init).joined(separator: "x")))")
        }
        width = axes[0]; height = axes[1]
        science = sci.header
        (wavelengths, wcs) = try Self.coordinates(sci.header, hdus: exposure.hdus, planes: axes[2], file: name)
        guard zip(wavelengths, wavelengths.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw FusionError("\(name): wavelengths do not increase along the cube")
        }
        unit = sci.header.string("BUNIT") ?? ""
        region = FusionFootprint.region(science: sci.header)
        var values = image.floats().pixels
        if let dq = exposure.hdu("DQ")?.image?.unsigned32().pixels, dq.count == values.count {
            for i in 0..<values.count where dq[i] & DataQuality.doNotUse.rawValue != 0 { values[i] = .nan }
        }
        data = values
        measured = values.map(\.isFinite)
        let err = exposure.hdu("ERR")?.image?.floats().pixels
        error = err?.count == values.count ? err : nil
    }

    var plane: Int { width * height }

    /// Keeps only the size×size spaxels centred on spaxel (x, y) (clipped to the cube), moving the WCS
    /// reference pixel and the S_REGION footprint with the cut.
    mutating func crop(centreX: Int, centreY: Int, size: Int) throws {
        let x0 = max(0, min(width - 1, centreX - size / 2)), y0 = max(0, min(height - 1, centreY - size / 2))
        let w = min(size, width - x0), h = min(size, height - y0)
        guard w >= 4, h >= 4 else {
            throw FusionError("\(name): the requested field (\(size) spaxels at \(centreX), \(centreY)) leaves fewer than 4×4 spaxels")
        }
        let planes = wavelengths.count
        func cut<T>(_ values: [T]) -> [T] {
            var out = [T](repeating: values[0], count: w * h * planes)
            for l in 0..<planes {
                for y in 0..<h { for x in 0..<w { out[(l * h + y) * w + x] = values[l * plane + (y + y0) * width + x + x0] } }
            }
            return out
        }
        data = cut(data)
        measured = cut(measured)
        error = error.map(cut)
        science.set("CRPIX1", .real((science.real("CRPIX1") ?? 1) - Double(x0)))
        science.set("CRPIX2", .real((science.real("CRPIX2") ?? 1) - Double(y0)))
        let corners = try wcs.world(
            pixels: [(-0.5, -0.5), (Double(w) - 0.5, -0.5), (Double(w) - 0.5, Double(h) - 0.5), (-0.5, Double(h) - 0.5)]
                .map { (x: $0.0 + Double(x0), y: $0.1 + Double(y0)) })
        let polygon = corners.map { String(format: "%.9f %.9f", $0.ra, $0.dec) }.joined(separator: " ")
        science.set("S_REGION", .string("POLYGON ICRS  \(polygon)"))
        region = SkyRegion(sRegion: "POLYGON ICRS \(polygon)")
        width = w
        height = h
        wcs = try Self.coordinates(science, hdus: [], planes: 0, file: name, spectral: false).1
    }

    private static func coordinates(_ header: Header, hdus: [HDU], planes: Int, file: String, spectral: Bool = true) throws -> (
        [Double], CelestialWCS
    ) {
        do {
            let wavelengths = spectral ? try SpectralAxis.wavelengths(science: header, hdus: hdus, planes: planes) : []
            return (wavelengths, try CelestialWCS(header: header))
        } catch {
            throw FusionError("\(file): \(error)")
        }
    }
}

/// One NIRCam image of a fusion, read from an `_i2d` exposure.
struct ImageInput {
    let name: String
    let filter: String
    let width: Int
    let height: Int
    let data: [Float]
    let error: [Float]?
    let wcs: CelestialWCS
    let unit: String
    let region: SkyRegion?
    let movingTarget: Bool

    init(_ exposure: Exposure) throws {
        name = exposure.name.fileName
        filter = exposure.kind.filter
        guard let sci = exposure.hdu("SCI"), let image = sci.image else { throw FusionError("\(name): no SCI image") }
        guard image.axes.count == 2 else { throw FusionError("\(name): SCI is not a 2-D image") }
        width = image.axes[0]; height = image.axes[1]
        wcs = try Self.celestial(sci.header, file: name)
        unit = sci.header.string("BUNIT") ?? ""
        region = FusionFootprint.region(science: sci.header)
        data = image.floats().pixels
        let err = exposure.hdu("ERR")?.image?.floats().pixels
        error = err?.count == data.count ? err : nil
        movingTarget = exposure.primaryHeader.string("TARGTYPE")?.uppercased() == "MOVING"
    }

    private static func celestial(_ header: Header, file: String) throws -> CelestialWCS {
        do { return try CelestialWCS(header: header) } catch { throw FusionError("\(file): \(error)") }
    }
}

/// Units compare without case and blanks ("MJy/sr" = "MJy / sr").
func sameUnit(_ a: String, _ b: String) -> Bool {
    a.lowercased().filter { !$0.isWhitespace } == b.lowercased().filter { !$0.isWhitespace }
}
