/// The working frame puts the dispersion along x. MIRI MRS disperses along y, so its arrays are transposed on
/// the way in and out ("rotate the problem, not the code").
enum WorkingFrame {
    /// Transposes a width × height image (FITS order) into a height × width one.
    static func transpose<T>(_ pixels: [T], width: Int, height: Int) -> [T] {
        guard let first = pixels.first else { return pixels }
        var out = [T](repeating: first, count: pixels.count)
        for y in 0..<height {
            for x in 0..<width { out[x * height + y] = pixels[y * width + x] }
        }
        return out
    }
}
