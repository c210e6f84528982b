import Numerics

/// The noise of a NIRCam image after its resampling onto the fused grid, as a stationary covariance.
///
/// The image's own noise is white (σ per pixel, its ERR). Bicubic interpolation mixes 4×4 pixels into every fine
/// pixel, which lowers the variance (to about two thirds of σ² on average over the fractional positions) and
/// correlates neighbouring fine pixels. Averaged over the field, fine pixels p and p + Δ share
/// R(Δ) = σ² · mean over p of Σ_q W(p, q) W(p + Δ, q), W being the interpolation weights of image pixel q; the
/// lags reach no further than the kernel's 4-pixel support.
struct ResampledNoise: Sendable {
    /// Lags −reach…reach on both axes.
    static let reach = 5
    static var side: Int { 2 * reach + 1 }
    /// R(Δx, Δy) at index (Δy + reach) · side + Δx + reach.
    let covariance: [Double]

    /// White noise of σ, as the solve models it.
    init(white sigma: Double) {
        var covariance = [Double](repeating: 0, count: Self.side * Self.side)
        covariance[Self.reach * Self.side + Self.reach] = sigma * sigma
        self.covariance = covariance
    }

    /// `positions`: the image-pixel coordinates of the fine pixels (row-major, `fineWidth` per row).
    init(positions: [(x: Double, y: Double)], fineWidth: Int, imageWidth: Int, imageHeight: Int, sigma: Double) {
        var users: [Int: [(pixel: Int, weight: Double)]] = [:]
        var sampled = 0
        for (p, position) in positions.enumerated() {
            let footprint = Bicubic.footprint(width: imageWidth, height: imageHeight, x: position.x, y: position.y)
            if !footprint.isEmpty { sampled += 1 }
            for (q, w) in footprint { users[q, default: []].append((p, w)) }
        }
        var covariance = [Double](repeating: 0, count: Self.side * Self.side)
        let reach = Self.reach, side = Self.side
        for list in users.values {
            for a in list {
                let ax = a.pixel % fineWidth, ay = a.pixel / fineWidth
                for b in list {
                    let dx = b.pixel % fineWidth - ax, dy = b.pixel / fineWidth - ay
                    guard abs(dx) <= reach, abs(dy) <= reach else { continue }
                    covariance[(dy + reach) * side + dx + reach] += a.weight * b.weight
                }
            }
        }
        let scale = sigma * sigma / Double(max(sampled, 1))
        self.covariance = covariance.map { $0 * scale }
    }

    /// Its power spectrum on a rows × columns periodic grid (FFT order), such that white noise of σ gives σ².
    func power(rows: Int, columns: Int, fft: FFT2D) -> [Double] {
        var buffer = [Double](repeating: 0, count: 2 * rows * columns)
        for dy in -Self.reach...Self.reach {
            for dx in -Self.reach...Self.reach {
                let y = (dy + rows) % rows, x = (dx + columns) % columns
                buffer[2 * (y * columns + x)] += covariance[(dy + Self.reach) * Self.side + dx + Self.reach]
            }
        }
        fft.forward(&buffer)
        return (0..<(rows * columns)).map { buffer[2 * $0] }
    }
}
