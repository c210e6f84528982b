import Foundation

/// The truth of a fusion pair: a few endmember spectra with emission lines, mixed over spatial structures
/// (a nebular background with a silhouette disk, compact knots, a filament and a ring). Positions are tangent-
/// plane offsets from the target in arcsec (east, north); spectra are surface brightness in MJy/sr.
struct FusionScene: Sendable {
    /// One spectral line: centre (µm) and peak height (MJy/sr).
    struct Line: Sendable { var centre: Double; var peak: Double }

    /// An endmember: a power-law continuum and emission lines.
    struct Endmember: Sendable {
        var name: String
        var continuum: Double
        var slope: Double
        var lines: [Line]
    }

    struct Knot: Sendable { var x: Double; var y: Double; var sigma: Double; var amplitude: Double }

    let endmembers: [Endmember]
    let knots: [Knot]
    /// Half-size of the NIRSpec field, arcsec: structures are laid out relative to it.
    let radius: Double
    /// Line width (Gaussian sigma, µm) at 2 µm: the NIRSpec resolving power, and at least ~1.2 channels.
    let lineSigma: Double

    init(fieldRadius: Double, channelStep: Double, random: inout SeededRandom) {
        radius = fieldRadius
        lineSigma = max(2.0 / 2700 / 2.355, 1.2 * channelStep)
        // Rest wavelengths (µm): Paα 1.8756, Brδ 1.9451, Brγ 2.1661, He I 2.0587 and 1.7007, Br10 1.7362;
        // H2 1-0 S(0) 2.2235, S(1) 2.1218, S(2) 2.0338, S(3) 1.9576.
        endmembers = [
            Endmember(
                name: "ionised nebula", continuum: 20, slope: -1,
                lines: [
                    Line(centre: 1.8756, peak: 300), Line(centre: 1.9451, peak: 30), Line(centre: 2.0587, peak: 40),
                    Line(centre: 2.1661, peak: 60), Line(centre: 1.7362, peak: 15),
                ]),
            Endmember(
                name: "disk", continuum: 40, slope: 2,
                lines: [
                    Line(centre: 2.1218, peak: 50), Line(centre: 2.2235, peak: 20), Line(centre: 2.0338, peak: 20),
                    Line(centre: 1.9576, peak: 35),
                ]),
            Endmember(
                name: "knots", continuum: 10, slope: 0,
                lines: [
                    Line(centre: 1.8756, peak: 600), Line(centre: 2.1661, peak: 120), Line(centre: 1.7007, peak: 20),
                    Line(centre: 1.9451, peak: 50),
                ]),
            Endmember(
                name: "molecular filament and ring", continuum: 5, slope: 1,
                lines: [
                    Line(centre: 2.1218, peak: 200), Line(centre: 1.9576, peak: 120), Line(centre: 2.0338, peak: 70),
                    Line(centre: 2.2235, peak: 60),
                ]),
        ]
        knots = (0..<6).map { _ in
            let r = fieldRadius * 0.75 * random.uniform().squareRoot()
            let angle = 2 * Double.pi * random.uniform()
            return Knot(
                x: r * cos(angle), y: r * sin(angle), sigma: 0.02 + 0.03 * random.uniform(),
                amplitude: 1.5 + 3 * random.uniform())
        }
    }

    var count: Int { endmembers.count }

    /// Surface brightness of endmember `e` at `wavelength` (µm).
    func spectrum(_ e: Int, at wavelength: Double) -> Double {
        let m = endmembers[e]
        var value = m.continuum * pow(wavelength / 2, m.slope)
        let sigma = lineSigma * wavelength / 2
        for line in m.lines {
            let d = (wavelength - line.centre) / sigma
            if abs(d) < 8 { value += line.peak * exp(-0.5 * d * d) }
        }
        return value
    }

    /// Abundance of endmember `e` at offset (x east, y north) in arcsec.
    func abundance(_ e: Int, x: Double, y: Double) -> Double {
        let r = radius
        switch e {
        case 0:
            let bump = exp(-((x - 0.3 * r) * (x - 0.3 * r) + (y + 0.2 * r) * (y + 0.2 * r)) / (2 * 0.36 * r * r))
            return (0.6 + 0.1 * x / r + 0.5 * bump) * (1 - 0.8 * diskMask(x: x, y: y))
        case 1:
            return diskMask(x: x, y: y)
        case 2:
            return knots.reduce(0) { sum, k in
                let d2 = ((x - k.x) * (x - k.x) + (y - k.y) * (y - k.y)) / (k.sigma * k.sigma)
                return sum + k.amplitude * exp(-0.5 * d2)
            }
        default:
            // A curved filament across the field and a thin ring.
            let path = 0.35 * r * sin(2.2 * x / r) - 0.25 * r
            let filament = exp(-0.5 * (y - path) * (y - path) / (0.02 * 0.02)) * (abs(x) < 0.85 * r ? 1 : 0.3)
            let ringRadius = ((x - 0.35 * r) * (x - 0.35 * r) + (y - 0.4 * r) * (y - 0.4 * r)).squareRoot()
            let ring = exp(-0.5 * (ringRadius - 0.3 * r) * (ringRadius - 0.3 * r) / (0.025 * 0.025))
            return 1.2 * filament + ring
        }
    }

    /// An inclined disk with a soft edge (the silhouette that darkens the nebula behind it).
    private func diskMask(x: Double, y: Double) -> Double {
        let angle = 35 * Double.pi / 180
        let dx = x + 0.2 * radius, dy = y - 0.1 * radius
        let u = dx * cos(angle) + dy * sin(angle), v = -dx * sin(angle) + dy * cos(angle)
        let a = 0.35 * radius, b = 0.4 * a
        let rho = ((u / a) * (u / a) + (v / b) * (v / b)).squareRoot()
        return 1 / (1 + exp((rho - 1) / 0.06))
    }
}
