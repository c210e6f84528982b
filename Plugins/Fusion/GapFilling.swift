/// Fills NaN pixels of an image from their valid neighbours, growing inwards ring by ring: bad spaxels and
/// uncovered edges must hold plausible values because the Fourier-domain model sees every pixel.
enum GapFilling {
    /// Returns the number of pixels that were filled.
    @discardableResult
    static func fill(_ values: inout [Double], width: Int, height: Int) -> Int {
        var missing = (0..<values.count).filter { !values[$0].isFinite }
        let total = missing.count
        guard total > 0, total < values.count else { return total }
        while !missing.isEmpty {
            var updates: [(Int, Double)] = []
            var still: [Int] = []
            for p in missing {
                let x = p % width, y = p / width
                var sum = 0.0, count = 0
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let xx = x + dx, yy = y + dy
                        guard xx >= 0, yy >= 0, xx < width, yy < height else { continue }
                        let v = values[yy * width + xx]
                        if v.isFinite { sum += v; count += 1 }
                    }
                }
                if count > 0 { updates.append((p, sum / Double(count))) } else { still.append(p) }
            }
            for (p, v) in updates { values[p] = v }
            missing = still
        }
        return total
    }
}
