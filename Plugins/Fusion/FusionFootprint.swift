import FITS

/// Where an image or cube lies on the sky: its S_REGION polygon, or, when a file has none, the polygon through
/// the sky positions of its four corner pixels' outer edges from the celestial WCS.
enum FusionFootprint {
    static func region(science header: Header) -> SkyRegion? {
        if let region = SkyRegion(header: header) { return region }
        guard let width = header.integer("NAXIS1"), let height = header.integer("NAXIS2"), width > 0, height > 0,
            let wcs = try? CelestialWCS(header: header)
        else { return nil }
        let (right, top) = (Double(width) - 0.5, Double(height) - 0.5)
        guard let corners = try? wcs.world(pixels: [(-0.5, -0.5), (right, -0.5), (right, top), (-0.5, top)]) else { return nil }
        return SkyRegion(vertices: corners)
    }
}
