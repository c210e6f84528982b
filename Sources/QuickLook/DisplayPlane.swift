import FITS

/// A 2-D image reduced for the screen: blocks of pixels averaged (NaN ignored) to at most `limit` on a side, first
/// row at the top (FITS puts y = 0 at the bottom), plus grey levels under a stretch.
struct DisplayPlane {
    let columns: Int
    let rows: Int
    /// Block means, row by row from the top; NaN where a block had no finite pixel.
    let values: [Float]
    /// Pixels per block side.
    let block: Int

    /// Reduces plane `plane` of `image` (a window of it when `window` is given: x, y, width, height in pixels).
    init(_ image: Image<Float>, plane: Int = 0, window: (x: Int, y: Int, width: Int, height: Int)? = nil, limit: Int = 480) {
        let (x0, y0, w, h) = window ?? (0, 0, image.width, image.height)
        let block = max(1, (max(w, h) + limit - 1) / limit)
        let columns = max(1, w / block), rows = max(1, h / block)
        let width = image.width, height = image.height
        let offset = plane * width * height
        let span = max(0, min(columns * block, width - x0))
        var values = [Float](repeating: .nan, count: columns * rows)
        // Each block row is summed column by column first, finite pixels only, in a loop without branches the
        // compiler vectorises; the blocks then add up their columns. A full frame is read once, at memory speed.
        var sums = [Float](repeating: 0, count: span), counts = sums
        image.pixels.withUnsafeBufferPointer { p in
            sums.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { c in
                    for row in 0..<rows {
                        let yTop = y0 + (rows - 1 - row) * block
                        s.update(repeating: 0)
                        c.update(repeating: 0)
                        for y in yTop..<min(yTop + block, height) {
                            let base = offset + y * width + x0
                            for i in 0..<span {
                                let v = p[base + i], finite = v.isFinite
                                s[i] += finite ? v : 0
                                c[i] += finite ? 1 : 0
                            }
                        }
                        for column in 0..<columns {
                            var sum: Float = 0, count: Float = 0
                            for i in min(column * block, span)..<min(column * block + block, span) {
                                sum += s[i]
                                count += c[i]
                            }
                            if count > 0 { values[row * columns + column] = sum / count }
                        }
                    }
                }
            }
        }
        self.columns = columns
        self.rows = rows
        self.values = values
        self.block = block
    }

    init(columns: Int, rows: Int, values: [Float], block: Int) {
        (self.columns, self.rows, self.values, self.block) = (columns, rows, values, block)
    }

    /// Grey levels between `low` (black) and `high` (white); blocks without data are black.
    func levels(low: Float, high: Float) -> [UInt8] {
        let scale = high > low ? 255 / (high - low) : 0
        return values.map { v in v.isFinite ? UInt8(max(0, min(255, (v - low) * scale))) : 0 }
    }
}
