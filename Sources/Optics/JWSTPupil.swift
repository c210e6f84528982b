import Foundation

/// The JWST entrance pupil as seen by the instruments: 18 hexagonal primary-mirror segments with gaps, the
/// secondary-mirror obscuration and its three support struts. Dimensions are the published nominal ones
/// (segment 1.32 m flat to flat, 7 mm gaps, 0.74 m secondary); strut angles are approximate (120° apart).
public struct JWSTPupil: Sendable {
    public var segmentFlatToFlat = 1.32
    public var gap = 0.007
    public var secondaryDiameter = 0.74
    public var strutWidth = 0.08
    /// Directions of the struts from the centre, in radians from +x.
    public var strutAngles: [Double] = [90, 210, 330].map { $0 * .pi / 180 }
    /// Turn of the whole pupil, radians counter-clockwise (from +x towards +y), applied by `raster`: the PSF turns
    /// with it, as it does on the sky with the telescope's roll.
    public var rotation = 0.0

    public init() {}

    /// Centres of the 18 segments: the two hexagonal rings around the (missing) central segment.
    public var segmentCentres: [(x: Double, y: Double)] {
        let pitch = segmentFlatToFlat + gap
        var centres: [(x: Double, y: Double)] = []
        for q in -2...2 {
            for r in -2...2 {
                let ring = max(abs(q), abs(r), abs(q + r))
                guard ring == 1 || ring == 2 else { continue }
                centres.append((pitch * (Double(q) + Double(r) / 2), pitch * (3.0.squareRoot() / 2) * Double(r)))
            }
        }
        return centres
    }

    /// Radius of a circle enclosing the whole pupil (metres).
    public var outerRadius: Double { 2 * (segmentFlatToFlat + gap) * 3.0.squareRoot() / 2 + segmentFlatToFlat / 3.0.squareRoot() + 0.01 }

    /// 1 where (x, y) (metres) lies on reflecting glass, 0 elsewhere.
    public func transmits(x: Double, y: Double, centres: [(x: Double, y: Double)]) -> Bool {
        let r2 = x * x + y * y
        if r2 < secondaryDiameter * secondaryDiameter / 4 { return false }
        for angle in strutAngles {
            let along = x * cos(angle) + y * sin(angle)
            let across = -x * sin(angle) + y * cos(angle)
            if along > 0, abs(across) < strutWidth / 2 { return false }
        }
        let half = segmentFlatToFlat / 2
        let c60 = 0.5, s60 = 3.0.squareRoot() / 2
        for centre in centres {
            let dx = x - centre.x, dy = y - centre.y
            if abs(dx) <= half, abs(c60 * dx + s60 * dy) <= half, abs(-c60 * dx + s60 * dy) <= half { return true }
        }
        return false
    }

    /// The pupil's transmission on an n×n grid of `spacing`-metre cells centred on the optical axis, each cell
    /// the fraction of `subsamples`² points that transmit (so 7 mm gaps show on a several-cm grid).
    public func raster(size n: Int, spacing: Double, subsamples: Int = 4) -> [Double] {
        let centres = segmentCentres
        let limit = outerRadius + spacing
        var grid = [Double](repeating: 0, count: n * n)
        let weight = 1 / Double(subsamples * subsamples)
        // A point of the turned pupil is where the unturned pupil's point lies, turned back.
        let c = cos(rotation), sn = sin(rotation)
        for j in 0..<n {
            let y0 = (Double(j) - Double(n / 2)) * spacing
            guard abs(y0) <= limit else { continue }
            for i in 0..<n {
                let x0 = (Double(i) - Double(n / 2)) * spacing
                guard x0 * x0 + y0 * y0 <= limit * limit else { continue }
                var sum = 0.0
                for b in 0..<subsamples {
                    let y = y0 + (Double(b) + 0.5) / Double(subsamples) * spacing - spacing / 2
                    for a in 0..<subsamples {
                        let x = x0 + (Double(a) + 0.5) / Double(subsamples) * spacing - spacing / 2
                        if transmits(x: c * x + sn * y, y: -sn * x + c * y, centres: centres) { sum += weight }
                    }
                }
                grid[j * n + i] = sum
            }
        }
        return grid
    }
}
