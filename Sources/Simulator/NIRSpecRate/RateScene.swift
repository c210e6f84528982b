import Foundation
import Platform

/// One illuminated spectral trace on a NIRSpec detector (DMS: dispersion along x): an IFU slice, a fixed slit or
/// a MOS slitlet, with uniform (sky / extended) light over its height and an optional compact source.
struct SpectralTrace: Sendable {
    var xStart: Int
    var xEnd: Int
    /// Centre row at x = 1024, slope and curvature per column.
    var y0: Double
    var slope: Double
    var curvature: Double
    /// Half the illuminated height (px).
    var halfHeight: Double
    /// Uniform surface brightness over the trace (DN/s at continuum level 1).
    var extended: Double
    /// Peak of a compact source's profile (DN/s), its Gaussian width and offset from the trace centre (px).
    var source: Double = 0
    var sourceSigma: Double = 1.2
    var sourceOffset: Double = 0
    /// Shifts the emission lines so every trace sees its own wavelengths.
    var lineShift: Double = 0

    func centre(_ x: Double) -> Double { let u = x - 1024; return y0 + slope * u + curvature * u * u }

    /// Spectrum along the dispersion: a smooth continuum with a few unresolved emission lines (FWHM ≈ 2.4 px).
    func spectrum(_ x: Double) -> Double {
        var s = 1 + 0.3 * sin(2 * .pi * x / 900 + lineShift / 50)
        for line in [410.0, 835.0, 1290.0, 1705.0] {
            let d = x - line - lineShift
            if abs(d) < 8 { s += 2.5 * exp(-0.5 * d * d) }
        }
        return s
    }
}

/// The noiseless illumination of a NIRSpec rate image for IFU, fixed-slit, MOS-like and bright-object scenes.
public enum RateScene: String, Sendable, CaseIterable {
    case ifu, fixedslit, mos, bots

    public var exposureType: String {
        switch self {
        case .ifu: "NRS_IFU"
        case .fixedslit: "NRS_FIXEDSLIT"
        case .mos: "NRS_MSASPEC"
        case .bots: "NRS_BRIGHTOBJ"
        }
    }

    /// FILTER, GRATING and FXD_SLIT of the scene.
    public var optics: [String: String] {
        switch self {
        case .ifu: ["FILTER": "F290LP", "GRATING": "G395H", "FXD_SLIT": "NONE"]
        case .fixedslit: ["FILTER": "F170LP", "GRATING": "G235M", "FXD_SLIT": "S200A1"]
        case .mos: ["FILTER": "CLEAR", "GRATING": "PRISM", "FXD_SLIT": "NONE"]
        case .bots: ["FILTER": "F290LP", "GRATING": "G395H", "FXD_SLIT": "S1600A1"]
        }
    }

    func traces(detector: String, brightness: Double, random: SeededRandom) -> [SpectralTrace] {
        switch self {
        case .ifu:
            return IFUSliceFootprints.traces(detector: detector).enumerated().map { index, slice in
                // Extended emission in every slice; a compact source centred on slices 14–15.
                let sourceWeight = exp(-pow((Double(index) - 14.5) / 1.2, 2))
                return SpectralTrace(
                    xStart: slice.xStart, xEnd: slice.xEnd, y0: slice.y0, slope: slice.slope,
                    curvature: slice.curvature, halfHeight: IFUSliceFootprints.sliceHeight / 2,
                    extended: 0.08 * brightness * (1 + 0.3 * cos(Double(index))),
                    source: brightness * sourceWeight, sourceSigma: 2.0, lineShift: Double(index) * 3)
            }
        case .fixedslit, .bots:
            // S200A1 carries the target; the other slits see sky only. Heights: 3.2" (S200), 1.6" (S1600A1).
            var slits = [
                SpectralTrace(xStart: 60, xEnd: 1990, y0: 985, slope: 0.004, curvature: 1e-6, halfHeight: 16, extended: 0.03 * brightness),
                SpectralTrace(xStart: 80, xEnd: 1990, y0: 1095, slope: 0.004, curvature: 1e-6, halfHeight: 16, extended: 0.03 * brightness),
                SpectralTrace(xStart: 40, xEnd: 1960, y0: 1130, slope: 0.004, curvature: 1e-6, halfHeight: 16, extended: 0.03 * brightness),
            ]
            slits.append(
                SpectralTrace(
                    xStart: 50, xEnd: 1980, y0: 1040.5, slope: 0.004, curvature: 1e-6,
                    halfHeight: self == .bots ? 8 : 16, extended: 0.03 * brightness,
                    source: self == .bots ? 20 * brightness : 2 * brightness, sourceSigma: 1.1))
            return slits
        case .mos:
            var rng = random.stream("mos-slitlets")
            return (0..<60).map { index in
                let y = 60 + 1930 * rng.uniform()
                let start = Int(900 * rng.uniform())
                return SpectralTrace(
                    xStart: start, xEnd: min(2043, start + 1100), y0: y, slope: 0.002 * (rng.uniform() - 0.5),
                    curvature: 0, halfHeight: 7.5, extended: 0.03 * brightness,
                    source: brightness * (0.2 + 1.8 * rng.uniform()), sourceSigma: 1.5,
                    sourceOffset: 2 * (rng.uniform() - 0.5), lineShift: Double(index * 11 % 200))
            }
        }
    }

    /// Renders the scene into a window of the detector (`pixels[y * width + x]`, DN/s).
    public func render(detector: String, window: NIRSpecSubarray, brightness: Double, random: SeededRandom) -> [Double] {
        let traces = traces(detector: detector, brightness: brightness, random: random)
        var image = [Double](repeating: 0, count: window.width * window.height)
        let width = window.width, height = window.height
        let x0 = window.xStart - 1, y0 = window.yStart - 1
        image.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            Parallel.forEach(width) { columns in
                for x in columns {
                    let fx = x + x0
                    for trace in traces where fx >= trace.xStart && fx <= trace.xEnd {
                        let xd = Double(fx)
                        let centre = trace.centre(xd)
                        let spectrum = trace.spectrum(xd)
                        let low = max(y0, Int((centre - trace.halfHeight - 3).rounded(.down)))
                        let high = min(y0 + height - 1, Int((centre + trace.halfHeight + 3).rounded(.up)))
                        guard low <= high else { continue }
                        for fy in low...high {
                            let dy = Double(fy) - centre
                            // Slit edges blurred over ~0.4 px.
                            let occupancy = 1 / (1 + exp(-(trace.halfHeight - abs(dy)) / 0.4))
                            var value = trace.extended
                            if trace.source > 0 {
                                let s = (dy - trace.sourceOffset) / trace.sourceSigma
                                value += trace.source * exp(-0.5 * s * s)
                            }
                            shared[(fy - y0) * width + x] += occupancy * value * spectrum
                        }
                    }
                }
            }
        }
        return image
    }
}
