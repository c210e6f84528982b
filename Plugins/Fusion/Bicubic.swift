/// Bicubic convolution interpolation (Keys 1981, a = −1/2) of a row-major image: exact for quadratics and
/// the usual "bicubic" of image resampling. Surface brightness is interpolated, which conserves flux per
/// unit solid angle on grids of any scale.
public enum Bicubic {
    @inline(__always)
    static func weight(_ t: Double) -> Double {
        let x = abs(t)
        if x < 1 { return (1.5 * x - 2.5) * x * x + 1 }
        if x < 2 { return ((-0.5 * x + 2.5) * x - 4) * x + 2 }
        return 0
    }

    /// The pixel left of and below (x, y) and the fractions past it; nil when the 4×4 neighbourhood leaves the image.
    @inline(__always)
    static func cell(x: Double, y: Double, width: Int, height: Int) -> (ix: Int, iy: Int, fx: Double, fy: Double)? {
        let ix = Int(x.rounded(.down)), iy = Int(y.rounded(.down))
        guard ix >= 1, iy >= 1, ix + 2 < width, iy + 2 < height else { return nil }
        return (ix, iy, x - Double(ix), y - Double(iy))
    }

    /// The 16 pixels (row-major index) and weights that `sample` combines at (x, y); empty outside the image.
    static func footprint(width: Int, height: Int, x: Double, y: Double) -> [(index: Int, weight: Double)] {
        guard let (ix, iy, fx, fy) = cell(x: x, y: y, width: width, height: height) else { return [] }
        var result: [(index: Int, weight: Double)] = []
        result.reserveCapacity(16)
        for j in -1...2 {
            let wy = weight(Double(j) - fy)
            for i in -1...2 { result.append(((iy + j) * width + ix + i, wy * weight(Double(i) - fx))) }
        }
        return result
    }

    /// The value at 0-based position (x, y); NaN when the 4×4 neighbourhood leaves the image or holds a NaN.
    public static func sample(_ image: [Float], width: Int, height: Int, x: Double, y: Double) -> Double {
        guard let (ix, iy, fx, fy) = cell(x: x, y: y, width: width, height: height) else { return .nan }
        var sum = 0.0
        for j in -1...2 {
            let wy = weight(Double(j) - fy)
            let row = (iy + j) * width
            var line = 0.0
            for i in -1...2 { line += weight(Double(i) - fx) * Double(image[row + ix + i]) }
            sum += wy * line
        }
        return sum
    }

    /// Upsamples a width×height image by an integer `factor` onto the grid whose pixel factor·i + factor/2
    /// is centred on input pixel i (the fused grid), clamping at the edges; the baseline fusion is judged against.
    public static func upsample(_ image: [Float], width: Int, height: Int, factor: Int) -> [Float] {
        let fw = width * factor, fh = height * factor
        let centre = Double(factor / 2)
        var out = [Float](repeating: 0, count: fw * fh)
        for j in 0..<fh {
            let y = (Double(j) - centre) / Double(factor)
            for i in 0..<fw {
                let x = (Double(i) - centre) / Double(factor)
                let ix = Int(x.rounded(.down)), iy = Int(y.rounded(.down))
                let fx = x - Double(ix), fy = y - Double(iy)
                var sum = 0.0
                for b in -1...2 {
                    let yy = min(max(iy + b, 0), height - 1)
                    let wy = weight(Double(b) - fy)
                    for a in -1...2 {
                        let xx = min(max(ix + a, 0), width - 1)
                        sum += wy * weight(Double(a) - fx) * Double(image[yy * width + xx])
                    }
                }
                out[j * fw + i] = Float(sum)
            }
        }
        return out
    }
}
