/// Symmetric (mirror) padding of row-major images: the fused field is embedded in a larger periodic domain so
/// that the circular convolutions of the Fourier-domain model wrap into mirrored data, not into the far edge.
enum Padding {
    static func mirror(_ values: [Double], width: Int, height: Int, pad: Int) -> [Double] {
        let pw = width + 2 * pad, ph = height + 2 * pad
        func reflect(_ i: Int, _ n: Int) -> Int {
            var k = i
            while k < 0 || k >= n { k = k < 0 ? -k - 1 : 2 * n - k - 1 }
            return k
        }
        var out = [Double](repeating: 0, count: pw * ph)
        for y in 0..<ph {
            let sy = reflect(y - pad, height)
            for x in 0..<pw { out[y * pw + x] = values[sy * width + reflect(x - pad, width)] }
        }
        return out
    }

    /// The inner width×height window of a padded image.
    static func crop(_ values: [Double], paddedWidth: Int, width: Int, height: Int, pad: Int) -> [Double] {
        var out = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { out[y * width + x] = values[(y + pad) * paddedWidth + x + pad] }
        }
        return out
    }

    /// Real image → interleaved complex buffer.
    static func complex(_ values: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 2 * values.count)
        for i in 0..<values.count { out[2 * i] = values[i] }
        return out
    }
}
