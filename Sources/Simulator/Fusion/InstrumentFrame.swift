import FITS
import Foundation

/// The pixel grid of one simulated instrument on the sky: a TAN projection about the target with a pixel
/// scale, a roll (position angle of the +y pixel axis, east of north) and a size. Both instruments share the
/// target as CRVAL, so their intermediate world coordinates are the same tangent-plane offsets.
struct InstrumentFrame: Sendable {
    var width: Int
    var height: Int
    /// Arcsec per pixel.
    var scale: Double
    /// Degrees, east of north.
    var roll: Double
    var target: (ra: Double, dec: Double)
    /// Tangent-plane offset (east, north; arcsec) of the grid's middle from the target: a pointing elsewhere.
    var pointingOffset: (east: Double, north: Double) = (0, 0)

    /// FITS reference pixel (1-based), where the target lies: the middle of the grid, moved by the pointing offset.
    /// (The PC matrix is its own inverse, so it also turns a tangent-plane offset into pixel axes.)
    var referencePixel: (x: Double, y: Double) {
        let m = pc
        let dx = (m.0 * pointingOffset.east + m.1 * pointingOffset.north) / scale
        let dy = (m.2 * pointingOffset.east + m.3 * pointingOffset.north) / scale
        return (Double(width + 1) / 2 - dx, Double(height + 1) / 2 - dy)
    }

    /// PC matrix for this roll, with RA increasing to the left at zero roll.
    var pc: (Double, Double, Double, Double) {
        let r = roll * .pi / 180
        return (-cos(r), sin(r), sin(r), cos(r))
    }

    /// Tangent-plane offset (east, north; arcsec) of the centre of 0-based pixel (x, y).
    func offset(x: Double, y: Double) -> (east: Double, north: Double) {
        let dx = x + 1 - referencePixel.x, dy = y + 1 - referencePixel.y
        let m = pc
        return (scale * (m.0 * dx + m.1 * dy), scale * (m.2 * dx + m.3 * dy))
    }

    /// Unit vectors of the pixel x and y axes in (east, north).
    var axes: (x: (Double, Double), y: (Double, Double)) {
        let m = pc
        return ((m.0, m.2), (m.1, m.3))
    }

    /// Sky position of a tangent-plane offset about the target.
    func sky(east: Double, north: Double) -> (ra: Double, dec: Double) {
        TangentPlane(centre: target).sky(east: east, north: north)
    }

    /// The footprint (outer pixel edges) as S_REGION polygon vertices.
    var footprint: [(ra: Double, dec: Double)] {
        let corners = [
            (-0.5, -0.5), (Double(width) - 0.5, -0.5), (Double(width) - 0.5, Double(height) - 0.5), (-0.5, Double(height) - 0.5),
        ]
        return corners.map {
            let o = offset(x: $0.0, y: $0.1); return sky(east: o.east, north: o.north)
        }
    }

    /// Where the telescope pointed to put the grid's middle on the sky with this roll, through `aperture`.
    func pointing(_ aperture: SIAFAperture) -> TelescopePointing {
        TelescopePointing(aperture: aperture, at: sky(east: pointingOffset.east, north: pointingOffset.north), roll: roll)
    }

    /// Celestial WCS keywords (axes 1 and 2) in the JWST layout.
    func celestialCards(into h: inout Header, axes: Int = 2) {
        let m = pc
        h.addSection("WCS parameters")
        h.set("WCSAXES", .integer(axes), comment: "number of World Coordinate System axes")
        h.set("CRPIX1", .real(referencePixel.x), comment: "axis 1 coordinate of the reference pixel")
        h.set("CRPIX2", .real(referencePixel.y), comment: "axis 2 coordinate of the reference pixel")
        h.set("CRVAL1", .real(target.ra), comment: "first axis value at the reference pixel")
        h.set("CRVAL2", .real(target.dec), comment: "second axis value at the reference pixel")
        h.set("CTYPE1", .string("RA---TAN"), comment: "first axis coordinate type")
        h.set("CTYPE2", .string("DEC--TAN"), comment: "second axis coordinate type")
        h.set("CUNIT1", .string("deg"), comment: "first axis units")
        h.set("CUNIT2", .string("deg"), comment: "second axis units")
        h.set("CDELT1", .real(scale / 3600), comment: "first axis increment per pixel")
        h.set("CDELT2", .real(scale / 3600), comment: "second axis increment per pixel")
        h.set("PC1_1", .real(m.0), comment: "linear transformation matrix element")
        h.set("PC1_2", .real(m.1), comment: "linear transformation matrix element")
        h.set("PC2_1", .real(m.2), comment: "linear transformation matrix element")
        h.set("PC2_2", .real(m.3), comment: "linear transformation matrix element")
        h.set("RADESYS", .string("ICRS"), comment: "Name of the coordinate reference frame")
    }
}
