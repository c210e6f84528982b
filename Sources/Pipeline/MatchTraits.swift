import FITS

/// What a matching grouping rule compares between an anchor and a candidate: where on the sky the file lies and
/// the instrument setting the rule pairs on (a grating, a filter). Stored with the file so a daemon can match a
/// candidate against anchors that arrive long after it.
public struct MatchTraits: Sendable, Equatable, Codable {
    /// The file's name, given in the reasons a match is refused (the router fills it in).
    public var file: String
    /// Footprint vertices in degrees (ICRS), in order around the polygon.
    public var footprint: [SkyPoint]
    /// The setting the rule compares (GRATING of a cube, FILTER of an image).
    public var setting: String

    public init(file: String = "", footprint: [SkyPoint], setting: String) {
        self.file = file
        self.footprint = footprint
        self.setting = setting
    }

    /// The footprint as a sky polygon.
    public var region: SkyRegion { SkyRegion(vertices: footprint.map { (ra: $0.ra, dec: $0.dec) }) }
}

/// One vertex of a footprint.
public struct SkyPoint: Sendable, Equatable, Codable {
    public var ra: Double
    public var dec: Double

    public init(ra: Double, dec: Double) {
        self.ra = ra
        self.dec = dec
    }
}
