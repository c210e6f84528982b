import Foundation

/// The gnomonic (TAN) projection about a sky position, the projection of JWST's image WCS and of small offsets
/// between the telescope's axes.
struct TangentPlane: Sendable {
    var centre: (ra: Double, dec: Double)

    /// Sky position (degrees) of a tangent-plane offset (east, north; arcsec) from the centre.
    func sky(east: Double, north: Double) -> (ra: Double, dec: Double) {
        let d2r = Double.pi / 180
        let x = east / 3600 * d2r, y = north / 3600 * d2r
        let ra0 = centre.ra * d2r, dec0 = centre.dec * d2r
        let rho = (x * x + y * y).squareRoot()
        guard rho > 0 else { return centre }
        let c = atan(rho)
        let dec = asin(cos(c) * sin(dec0) + y * sin(c) * cos(dec0) / rho)
        let ra = ra0 + atan2(x * sin(c), rho * cos(dec0) * cos(c) - y * sin(dec0) * sin(c))
        return ((ra / d2r + 360).truncatingRemainder(dividingBy: 360), dec / d2r)
    }
}
