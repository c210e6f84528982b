import Numerics

/// Cache-blocked transposition between image layout (`pixels[y * width + x]`) and line layout
/// (`lines[x * height + y]`, NIRSpec's detector lines being DMS columns). A naive loop misses the cache on
/// every pixel of the strided side; 64×64 tiles keep both sides in cache.
enum Transpose {
    static let tile = 64

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
        // Index steps of the source and destination along x and y.
        let (sourceX, sourceY, targetX, targetY) = toLines ? (1, width, height, 1) : (height, 1, 1, width)
        Parallel.forEach((height + tile - 1) / tile) { tiles in
            let from = input.base, to = output.base
            for ty in tiles {
                let y0 = ty * tile, y1 = min(height, y0 + tile)
                var x0 = 0
                while x0 < width {
                    let x1 = min(width, x0 + tile)
                    for y in y0..<y1 {
                        var s = y &* sourceY &+ x0 &* sourceX, t = y &* targetY &+ x0 &* targetX
                        for _ in x0..<x1 {
                            to[t] = from[s]
                            s &+= sourceX
                            t &+= targetX
                        }
                    }
                    x0 = x1
                }
            }
        }
    }
}
