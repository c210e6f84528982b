import Numerics

/// The wavelengths the spectrum is sampled at — one per dispersion column, the median wavelength of the
/// column's pixels over all dithers — and the map from any wavelength to a fractional grid index.
///
/// Following the detector columns (rather than a regular grid, as ASSET does) keeps the sampling matched to
/// the local dispersion, which for the NIRSpec prism varies by a factor of five along the spectrum.
public struct WavelengthGrid: Sendable {
    /// Grid wavelengths in column order (monotonic, increasing or decreasing).
    public let wavelengths: [Double]
    private let increasing: Bool

    public var count: Int { wavelengths.count }

    /// The grid of `frames`; throws when a wavelength map is missing or not monotonic along the dispersion.
    public init(frames: [SlitFrame]) throws(SlitExtractionError) {
        let length = frames[0].length
        var column = [Double?](repeating: nil, count: length)
        var values: [Double] = []
        for k in 0..<length {
            values.removeAll(keepingCapacity: true)
            for f in frames {
                for j in 0..<f.cross where f.wavelength[j * length + k] > 0 { values.append(f.wavelength[j * length + k]) }
            }
            if !values.isEmpty { column[k] = RobustStatistics.medianInPlace(&values) }
        }
        let known = column.enumerated().compactMap { i, v in v.map { (i, $0) } }
        guard known.count >= 4 else {
            throw SlitExtractionError("\(frames.map(\.name).joined(separator: ", ")): WAVELENGTH holds fewer than 4 usable columns")
        }
        // Columns without any wavelength are filled linearly from their neighbours so the grid stays regular in index.
        var filled = [Double](repeating: 0, count: length)
        for k in 0..<length {
            if let v = column[k] { filled[k] = v; continue }
            let right = known.firstIndex { $0.0 > k } ?? known.count - 1
            let (i0, v0) = known[max(0, right - 1)], (i1, v1) = known[max(1, right)]
            filled[k] = v0 + (v1 - v0) * Double(k - i0) / Double(i1 - i0)
        }
        let up = filled[length - 1] > filled[0]
        for k in 1..<length where (filled[k] > filled[k - 1]) != up || filled[k] == filled[k - 1] {
            throw SlitExtractionError("\(frames[0].name): WAVELENGTH is not monotonic along the dispersion (column \(k))")
        }
        wavelengths = filled
        increasing = up
    }

    /// Fractional grid index of `wavelength` (linear between grid points); nil outside the grid by more than half a step.
    public func index(of wavelength: Double) -> Double? {
        let n = wavelengths.count
        let sign = increasing ? 1.0 : -1.0
        let x = sign * wavelength
        func at(_ i: Int) -> Double { sign * wavelengths[i] }
        if x < at(0) {
            let u = (x - at(0)) / (at(1) - at(0))
            return u >= -0.5 ? 0 : nil
        }
        if x > at(n - 1) {
            let u = (x - at(n - 1)) / (at(n - 1) - at(n - 2))
            return u <= 0.5 ? Double(n - 1) : nil
        }
        var lo = 0, hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if at(mid) <= x { lo = mid } else { hi = mid }
        }
        return Double(lo) + (x - at(lo)) / (at(hi) - at(lo))
    }
}
