import Numerics

/// Cache-blocked transposition between image layout (`pixels[y * width + x]`) and line layout
/// (`lines[x * height + y]`, NIRSpec's detector lines being DMS columns). A naive loop misses the cache on
/// every pixel of the strided side; tiles keep both sides in cache.
enum Transpose {
    /// Tile rows (along y) and columns (along x). At a stride of 2048 floats (8 KiB) every line of the strided side
    /// falls in the same L1 set, which holds 8, so square tiles evict their own lines and 8 columns keep them
    /// resident. Single-threaded, 2048² floats: 15.6 ms, against 22–24 ms for 64×64, 32×32, 16×16 or 8×8 tiles
    /// and 19–21 ms for 8 columns by 512 to 2048 rows.
    static let tileRows = 256, tileColumns = 8

    /// `destination[x * height + y] = source[y * width + x]`.
    static func toLines<T>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, into destination: UnsafeMutableBufferPointer<T>) {
        copy(source, width: width, height: height, into: destination, toLines: true)
    }

    /// `destination[y * width + x] = source[x * height + y]`.
    static func toImage<T>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, into destination: UnsafeMutableBufferPointer<T>) {
        copy(source, width: width, height: height, into: destination, toLines: false)
    }

    /// Tile by tile, on all cores; the loops are here rather than behind a per-row closure so that they are
    /// compiled for the element type (a call per 8-pixel row had cost as much as the copy).
    private static func copy<T>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, into destination: UnsafeMutableBufferPointer<T>,
                                toLines: Bool) {
        let output = SharedBuffer(destination)
        let input = SharedBuffer(UnsafeMutableBufferPointer(mutating: source))
        Parallel.forEach((height + tileRows - 1) / tileRows) { tiles in
            let from = input.base, to = output.base
            for ty in tiles {
                let y0 = ty &* tileRows, y1 = min(height, y0 &+ tileRows)
                var x0 = 0
                while x0 < width {
                    let x1 = min(width, x0 &+ tileColumns)
                    for y in y0..<y1 {
                        var i = y &* width &+ x0, l = x0 &* height &+ y
                        if toLines {
                            for _ in x0..<x1 { to[l] = from[i]; i &+= 1; l &+= height }
                        } else {
                            for _ in x0..<x1 { to[i] = from[l]; i &+= 1; l &+= height }
                        }
                    }
                    x0 = x1
                }
            }
        }
    }
}
