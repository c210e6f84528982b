/// The pixels the fit uses (finite, unflagged, with a wavelength on the grid), flattened over dithers, with
/// what does not change during the fit precomputed: their 4-tap interpolation from the spectrum grid
/// (Catmull-Rom, a = −½, edge samples repeated) and their position across the slit for the background.
struct PixelTable: Sendable {
    var frame: [Int32] = []
    var row: [Int32] = []
    var column: [Int32] = []
    var data: [Double] = []
    /// Inverse variance from the inputs.
    var weight: [Double] = []
    var lambda: [Double] = []
    /// Grid index of the first tap (may lie outside 0..<n; clamp on use) and the four tap weights.
    var tapBase: [Int32] = []
    var taps: [SIMD4<Double>] = []
    /// Position across the slit scaled to −½…½, for the background's linear term.
    var across: [Double] = []

    var count: Int { data.count }

    init(frames: [SlitFrame], grid: WavelengthGrid) {
        for (f, frame) in frames.enumerated() {
            for j in 0..<frame.cross {
                for k in 0..<frame.length {
                    let i = j * frame.length + k
                    guard frame.weight[i] > 0, frame.wavelength[i] > 0, let u = grid.index(of: frame.wavelength[i]) else { continue }
                    let base = Int(u.rounded(.down))
                    let t = u - Double(base)
                    let t2 = t * t, t3 = t2 * t
                    self.frame.append(Int32(f))
                    row.append(Int32(j))
                    column.append(Int32(k))
                    data.append(frame.data[i])
                    weight.append(frame.weight[i])
                    lambda.append(frame.wavelength[i])
                    tapBase.append(Int32(base - 1))
                    taps.append(SIMD4((-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2))
                    across.append(Double(j) / Double(max(1, frame.cross - 1)) - 0.5)
                }
            }
        }
    }

    /// Grid index of tap `t` of pixel `p`, clamped to the grid.
    @inline(__always) func tap(_ p: Int, _ t: Int, gridCount n: Int) -> Int { min(max(Int(tapBase[p]) &+ t, 0), n &- 1) }

    /// The spectrum interpolated at every pixel's wavelength, F z.
    func interpolate(_ z: [Double], gridCount n: Int) -> [Double] {
        (0..<count).map { p in
            var s = 0.0
            for t in 0..<4 { s += taps[p][t] * z[tap(p, t, gridCount: n)] }
            return s
        }
    }
}
