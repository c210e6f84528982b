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
        var values = [Float](repeating: .nan, count: columns * rows)
        image.pixels.withUnsafeBufferPointer { p in
            for row in 0..<rows {
                let yTop = y0 + (rows - 1 - row) * block
                for column in 0..<columns {
                    let xLeft = x0 + column * block
                    var sum: Float = 0, count: Float = 0
                    for y in yTop..<min(yTop + block, height) {
                        let base = offset + y * width
                        for x in xLeft..<min(xLeft + block, width) where p[base + x].isFinite {
                            sum += p[base + x]
                            count += 1
                        }
                    }
                    if count > 0 { values[row * columns + column] = sum / count }
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
