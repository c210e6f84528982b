/// A coarse, evenly spaced grid of wavelengths with linear (hat-function) interpolation weights: quantities
/// that vary slowly with wavelength (PSFs) are computed at the nodes only and mixed with these weights.
public struct WavelengthNodes: Sendable, Equatable {
    public let wavelengths: [Double]

    /// `count` nodes from `lower` to `upper` inclusive (one node when they coincide or count is 1).
    public init(from lower: Double, to upper: Double, count: Int) {
        let n = max(1, count)
        wavelengths =
            n == 1 || upper <= lower
            ? [(lower + upper) / 2]
            : (0..<n).map { lower + (upper - lower) * Double($0) / Double(n - 1) }
    }

    public var count: Int { wavelengths.count }

    /// Weights of every node at `wavelength`: at most two non-zero, summing to 1; clamped outside the grid.
    public func weights(at wavelength: Double) -> [Double] {
        var w = [Double](repeating: 0, count: count)
        guard count > 1 else { w[0] = 1; return w }
        let step = wavelengths[1] - wavelengths[0]
        let position = min(max((wavelength - wavelengths[0]) / step, 0), Double(count - 1))
        let lower = min(Int(position), count - 2)
        let t = position - Double(lower)
        w[lower] = 1 - t
        w[lower + 1] = t
        return w
    }
}
