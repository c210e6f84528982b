import Numerics

/// The working frame puts the dispersion along x and stores each column contiguously (column-major), so the
/// per-column work streams through memory. NIRSpec images (dispersion along x, row-major) are transposed on the
/// way in and out; MIRI MRS images (dispersion along y) already have that layout ("rotate the problem, not the
/// code").
enum WorkingFrame {
    /// Transposes a width × height image (FITS order) into a height × width one, in 64 × 64 tiles so that both
    /// the reads and the writes stay in cache; bands of tiles run on all cores.
    static func transpose<T>(_ pixels: [T], width: Int, height: Int) -> [T] {
        guard let first = pixels.first else { return pixels }
        var out = [T](repeating: first, count: pixels.count)
        let tile = 64
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let source = SharedBuffer(UnsafeMutableBufferPointer(mutating: src)), target = SharedBuffer(dst)
                Parallel.forEach((height + tile - 1) / tile) { bands in
                    for band in bands {
                        let y0 = band * tile
                        for x0 in stride(from: 0, to: width, by: tile) {
                            for y in y0..<min(height, y0 + tile) {
                                for x in x0..<min(width, x0 + tile) { target[x &* height &+ y] = source[y &* width &+ x] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
