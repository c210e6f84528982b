import Foundation

/// A footprint on the sky: the polygon of an `S_REGION = 'POLYGON ICRS ra1 dec1 ra2 dec2 …'` keyword.
public struct SkyRegion: Sendable, Equatable {
    public var vertices: [(ra: Double, dec: Double)]

    public init(vertices: [(ra: Double, dec: Double)]) { self.vertices = vertices }

    public static func == (a: SkyRegion, b: SkyRegion) -> Bool {
        a.vertices.count == b.vertices.count && zip(a.vertices, b.vertices).allSatisfy { $0.ra == $1.ra && $0.dec == $1.dec }
    }

    /// Parses an S_REGION value; nil when it is not a polygon with at least three vertices.
    public init?(sRegion text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first, first.uppercased() == "POLYGON" else { return nil }
        let numbers = words.dropFirst().compactMap(Double.init)
        guard numbers.count >= 6, numbers.count % 2 == 0 else { return nil }
        vertices = stride(from: 0, to: numbers.count, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
    }

    /// The footprint of the S_REGION keyword of `header`, if any.
    public init?(header: Header) {
        guard let text = header.string("S_REGION") else { return nil }
        self.init(sRegion: text)
    }

    /// Mean position of the vertices (RA wrapped consistently around the first vertex).
    public var centre: (ra: Double, dec: Double) {
        let ra0 = vertices[0].ra
        let ras = vertices.map { ra0 + Self.wrapped($0.ra - ra0) }
        let ra = ras.reduce(0, +) / Double(ras.count)
        return ((ra + 360).truncatingRemainder(dividingBy: 360), vertices.map(\.dec).reduce(0, +) / Double(vertices.count))
    }

    /// Area (square arcsec) of the overlap with `other`, both polygons projected on a plane tangent at this
    /// region's centre. Footprints of JWST products are convex, which the clipping assumes.
    public func overlapArea(with other: SkyRegion) -> Double {
        let c = centre
        let a = Self.orientedCounterClockwise(vertices.map { Self.project($0, about: c) })
        let b = Self.orientedCounterClockwise(other.vertices.map { Self.project($0, about: c) })
        return Self.area(Self.clip(a, by: b))
    }

    /// Area (square arcsec) of this region.
    public var area: Double {
        let c = centre
        return Self.area(vertices.map { Self.project($0, about: c) })
    }

    static func wrapped(_ d: Double) -> Double { d > 180 ? d - 360 : (d < -180 ? d + 360 : d) }

    /// Gnomonic projection in arcsec (east, north).
    static func project(_ p: (ra: Double, dec: Double), about c: (ra: Double, dec: Double)) -> (x: Double, y: Double) {
        let d2r = Double.pi / 180
        let ra = p.ra * d2r, dec = p.dec * d2r, ra0 = c.ra * d2r, dec0 = c.dec * d2r
        let cosc = sin(dec0) * sin(dec) + cos(dec0) * cos(dec) * cos(ra - ra0)
        let x = cos(dec) * sin(ra - ra0) / cosc
        let y = (cos(dec0) * sin(dec) - sin(dec0) * cos(dec) * cos(ra - ra0)) / cosc
        return (x / d2r * 3600, y / d2r * 3600)
    }

    static func signedArea(_ p: [(x: Double, y: Double)]) -> Double {
        guard p.count >= 3 else { return 0 }
        var sum = 0.0
        for i in 0..<p.count {
            let j = (i + 1) % p.count
            sum += p[i].x * p[j].y - p[j].x * p[i].y
        }
        return sum / 2
    }

    static func area(_ p: [(x: Double, y: Double)]) -> Double { abs(signedArea(p)) }

    static func orientedCounterClockwise(_ p: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        signedArea(p) < 0 ? p.reversed() : p
    }

    /// Sutherland–Hodgman: the part of `subject` inside the convex counter-clockwise `clipper`.
    static func clip(_ subject: [(x: Double, y: Double)], by clipper: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        var output = subject
        for i in 0..<clipper.count {
            guard !output.isEmpty else { break }
            let a = clipper[i], b = clipper[(i + 1) % clipper.count]
            func inside(_ p: (x: Double, y: Double)) -> Bool { (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) >= 0 }
            func intersection(_ p: (x: Double, y: Double), _ q: (x: Double, y: Double)) -> (x: Double, y: Double) {
                let d1 = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
                let d2 = (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x)
                let t = d1 / (d1 - d2)
                return (p.x + t * (q.x - p.x), p.y + t * (q.y - p.y))
            }
            let input = output
            output = []
            for j in 0..<input.count {
                let p = input[j], q = input[(j + 1) % input.count]
                if inside(q) {
                    if !inside(p) { output.append(intersection(p, q)) }
                    output.append(q)
                } else if inside(p) {
                    output.append(intersection(p, q))
                }
            }
        }
        return output
    }
}
