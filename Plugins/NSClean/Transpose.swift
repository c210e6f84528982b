import Numerics

/// Cache-blocked transposition between image layout (`pixels[y * width + x]`) and line layout
/// (`lines[x * height + y]`, NIRSpec's detector lines being DMS columns). A naive loop misses the cache on
/// every pixel of the strided side; tiles keep both sides in cache.
enum Transpose {
    /// A tile shape: `rows` along y, `columns` along x.
    struct Tile: Sendable {
        let rows: Int
        let columns: Int

        /// For plain copies. At a stride of 2048 floats (8 KiB) every line of the strided side falls in the same L1
        /// set, which holds 8, so square tiles evict their own lines and 8 columns keep them resident.
        /// Single-threaded, 2048² floats: 15.6 ms, against 22–24 ms for 64×64, 32×32, 16×16 or 8×8 tiles and
        /// 19–21 ms for 8 columns by 512 to 2048 rows.
        static let copy = Tile(rows: 256, columns: 8)
        /// For `walk`'s callers, whose loop bodies are calls per row of a tile: 8-pixel runs doubled the time of
        /// the subtraction pass (profile samples, 4 runs each), so they keep 64-pixel runs.
        static let runs = Tile(rows: 64, columns: 64)
    }

    /// `destination[x * height + y] = source[y * width + x]`.
    static func toLines<T>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, into destination: UnsafeMutableBufferPointer<T>) {
        copy(source, width: width, height: height, into: destination, toLines: true)
    }

    /// `destination[y * width + x] = source[x * height + y]`.
    static func toImage<T>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, into destination: UnsafeMutableBufferPointer<T>) {
        copy(source, width: width, height: height, into: destination, toLines: false)
    }

    private static func copy<T>(_ source: UnsafeBufferPointer<T>, width: Int, height: Int, into destination: UnsafeMutableBufferPointer<T>,
                                toLines: Bool) {
        let output = SharedBuffer(destination)
        let input = SharedBuffer(UnsafeMutableBufferPointer(mutating: source))
        walk(width: width, height: height, tile: .copy) { image, line, count in
            let from = input.base, to = output.base
            var i = image, l = line
            if toLines {
                for _ in 0..<count { to[l] = from[i]; i &+= 1; l &+= height }
            } else {
                for _ in 0..<count { to[i] = from[l]; i &+= 1; l &+= height }
            }
        }
    }

    /// Visits every pixel tile by tile, on all cores, in the order of a transposition: `body(image, line, count)`
    /// covers `count` pixels along x, at image indices `image, image + 1, …` and line indices `line, line + height,
    /// …`. For loops that read one layout and write the other (a call per row of a tile, not per pixel, so the
    /// pixel loop stays in the caller, where it is optimised for its element type).
    static func walk(width: Int, height: Int, tile: Tile = .runs, _ body: @Sendable (_ image: Int, _ line: Int, _ count: Int) -> Void) {
        Parallel.forEach((height + tile.rows - 1) / tile.rows) { tiles in
            for ty in tiles {
                let y0 = ty * tile.rows, y1 = min(height, y0 + tile.rows)
                var x0 = 0
                while x0 < width {
                    let x1 = min(width, x0 + tile.columns)
                    for y in y0..<y1 { body(y &* width &+ x0, x0 &* height &+ y, x1 &- x0) }
                    x0 = x1
                }
            }
        }
    }
}
