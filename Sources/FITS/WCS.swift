import CWCSLIB
import Foundation
import Synchronization

/// Why world coordinates could not be set up or evaluated; the message names the problem in words.
public struct WCSError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The celestial part (axes 1 and 2) of a FITS header's world coordinate system, evaluated by wcslib:
/// any projection wcslib knows (JWST products use TAN), with PCi_j + CDELTi or CDi_j, CRPIXi and CRVALi.
/// Pixel coordinates here are 0-based (the first pixel's centre is 0, 0), unlike FITS's 1-based ones.
public final class CelestialWCS: @unchecked Sendable {
    private let parameters: UnsafeMutablePointer<wcsprm>
    private var count: Int32
    /// wcsp2s/wcss2p write into the struct's scratch state; one caller at a time.
    private let lock = Mutex(())

    /// Reads the celestial axes of `header`. Throws when the header has no celestial WCS.
    public init(header: Header) throws(WCSError) {
        guard let ctype1 = header.string("CTYPE1"), let ctype2 = header.string("CTYPE2"),
            ctype1.uppercased().hasPrefix("RA"), ctype2.uppercased().hasPrefix("DEC")
        else {
            throw WCSError("no celestial WCS (CTYPE1/CTYPE2 are not RA/DEC)")
        }
        let text = Self.celestialCards(header)
        var rejected: Int32 = 0
        var found: Int32 = 0
        var result: UnsafeMutablePointer<wcsprm>?
        let status = text.withCString { pointer in
            wcspih(UnsafeMutablePointer(mutating: pointer), Int32(text.utf8.count / 80), WCSHDR_all, 0, &rejected, &found, &result)
        }
        guard status == 0, found >= 1, let parsed = result else {
            throw WCSError("wcslib could not parse the celestial WCS (status \(status))")
        }
        parameters = parsed
        count = found
        let setStatus = wcsset(parameters)
        if setStatus != 0 {
            // All properties are set, so deinit frees the parameters on this path too.
            throw WCSError("wcslib rejected the celestial WCS (status \(setStatus))")
        }
    }

    deinit {
        var pointer: UnsafeMutablePointer<wcsprm>? = parameters
        wcsvfree(&count, &pointer)
    }

    /// Only the keywords of axes 1 and 2 (a cube's spectral axis is handled by `SpectralAxis`).
    static func celestialCards(_ header: Header) -> String {
        var cards = [card("WCSAXES", "2")]
        let numeric = [
            "CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2", "CDELT1", "CDELT2", "PC1_1", "PC1_2", "PC2_1", "PC2_2",
            "CD1_1", "CD1_2", "CD2_1", "CD2_2", "LONPOLE", "LATPOLE", "EQUINOX", "CROTA2",
        ]
        for key in numeric { if let value = header.real(key) { cards.append(card(key, String(format: "%.17G", value))) } }
        for key in ["CTYPE1", "CTYPE2", "CUNIT1", "CUNIT2", "RADESYS"] {
            if let value = header.string(key) { cards.append(card(key, "'\(value.replacingOccurrences(of: "'", with: ""))'")) }
        }
        return cards.joined()
    }

    private static func card(_ key: String, _ value: String) -> String {
        let left = key.padding(toLength: 8, withPad: " ", startingAt: 0) + "= " + value
        return left.count >= 80 ? String(left.prefix(80)) : left.padding(toLength: 80, withPad: " ", startingAt: 0)
    }

    /// Sky positions (RA, Dec in degrees) of 0-based pixel positions (x, y).
    public func world(pixels: [(x: Double, y: Double)]) throws(WCSError) -> [(ra: Double, dec: Double)] {
        guard !pixels.isEmpty else { return [] }
        var pixcrd = [Double](repeating: 0, count: 2 * pixels.count)
        for (i, p) in pixels.enumerated() { pixcrd[2 * i] = p.x + 1; pixcrd[2 * i + 1] = p.y + 1 }
        var imgcrd = pixcrd, world = pixcrd
        var phi = [Double](repeating: 0, count: pixels.count), theta = phi
        var stat = [Int32](repeating: 0, count: pixels.count)
        let status = lock.withLock { _ in wcsp2s(parameters, Int32(pixels.count), 2, pixcrd, &imgcrd, &phi, &theta, &world, &stat) }
        if status != 0 { throw WCSError("pixel to sky conversion failed (wcslib status \(status))") }
        var result: [(ra: Double, dec: Double)] = []
        result.reserveCapacity(pixels.count)
        for i in 0..<pixels.count { result.append((ra: world[2 * i], dec: world[2 * i + 1])) }
        return result
    }

    /// 0-based pixel positions of sky positions (degrees).
    public func pixels(world positions: [(ra: Double, dec: Double)]) throws(WCSError) -> [(x: Double, y: Double)] {
        guard !positions.isEmpty else { return [] }
        var world = [Double](repeating: 0, count: 2 * positions.count)
        for (i, p) in positions.enumerated() { world[2 * i] = p.ra; world[2 * i + 1] = p.dec }
        var imgcrd = world, pixcrd = world
        var phi = [Double](repeating: 0, count: positions.count), theta = phi
        var stat = [Int32](repeating: 0, count: positions.count)
        let status = lock.withLock { _ in wcss2p(parameters, Int32(positions.count), 2, world, &phi, &theta, &imgcrd, &pixcrd, &stat) }
        if status != 0 { throw WCSError("sky to pixel conversion failed (wcslib status \(status))") }
        var result: [(x: Double, y: Double)] = []
        result.reserveCapacity(positions.count)
        for i in 0..<positions.count { result.append((x: pixcrd[2 * i] - 1, y: pixcrd[2 * i + 1] - 1)) }
        return result
    }

    /// Pixel scale (arcsec per pixel, geometric mean of the two axes) and the position angle of the pixel
    /// grid's +y axis east of north (degrees), measured at pixel (x, y) from the mapping itself.
    public func localScaleAndRotation(at x: Double, _ y: Double) throws(WCSError) -> (scale: Double, rotation: Double) {
        let points = try world(pixels: [(x, y), (x + 1, y), (x, y + 1)])
        let cosDec = cos(points[0].dec * .pi / 180)
        func offset(_ p: (ra: Double, dec: Double)) -> (east: Double, north: Double) {
            var dra = p.ra - points[0].ra
            if dra > 180 { dra -= 360 } else if dra < -180 { dra += 360 }
            return (dra * cosDec * 3600, (p.dec - points[0].dec) * 3600)
        }
        let ex = offset(points[1]), ey = offset(points[2])
        let area = abs(ex.east * ey.north - ex.north * ey.east)
        return (area.squareRoot(), atan2(ey.east, ey.north) * 180 / .pi)
    }
}
