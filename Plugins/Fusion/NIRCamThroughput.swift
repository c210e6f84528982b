import Foundation

/// A NIRCam filter's total system throughput, from the tables shipped as resources of this plugin.
public struct NIRCamThroughput: Sendable {
    public let filter: String
    public let wavelengths: [Double]
    public let values: [Double]

    /// Loads the shipped table of `filter`; nil when the filter has no fusion partner (no table shipped).
    public init?(filter: String) {
        let name = filter.uppercased()
        guard
            let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "throughputs")
                ?? Bundle.module.url(forResource: name, withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return nil }
        var w: [Double] = [], t: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let a = Double(parts[0]), let b = Double(parts[1]) else { continue }
            w.append(a); t.append(b)
        }
        guard w.count >= 2 else { return nil }
        self.filter = name
        wavelengths = w
        values = t
    }

    /// Throughput at `wavelength` (µm), linear between table rows, 0 outside.
    public func value(at wavelength: Double) -> Double {
        guard wavelength > wavelengths[0], wavelength < wavelengths[wavelengths.count - 1] else { return 0 }
        var lo = 0, hi = wavelengths.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if wavelengths[mid] <= wavelength { lo = mid } else { hi = mid }
        }
        let t = (wavelength - wavelengths[lo]) / (wavelengths[hi] - wavelengths[lo])
        return values[lo] * (1 - t) + values[hi] * t
    }

    /// The band between the half-maximum points: what must lie inside a cube's wavelength range to fuse.
    public var halfPowerBand: ClosedRange<Double> {
        let half = (values.max() ?? 0) / 2
        let first = values.firstIndex { $0 >= half } ?? 0
        let last = values.lastIndex { $0 >= half } ?? values.count - 1
        return wavelengths[first]...wavelengths[last]
    }

    /// Photon-counting response per cube channel: T(λ)/λ at each wavelength (µm). A NIRCam pixel measures
    /// the photon-weighted mean surface brightness over the band, so this is the (uncalibrated) row of L_m.
    public func response(at wavelengths: [Double]) -> [Double] { wavelengths.map { value(at: $0) / $0 } }
}
