/// Parallel reductions: sums of a fixed number of terms over index ranges, spread over the cores. Used inside
/// objective functions that the optimiser calls hundreds of times, where each call sums over many pixels.
extension Parallel {
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Double>
    }

    /// Σ over `0..<count` of `body(range)` (each call returns the partial sums of `width` terms for its range),
    /// computed in `chunks` contiguous ranges. The chunking is fixed, so the result does not depend on scheduling.
    public static func sum(
        _ count: Int, width: Int, chunks: Int = 2 * ProcessInfoCores.count,
        _ body: @Sendable (Range<Int>) -> [Double]
    ) -> [Double] {
        let pieces = max(1, min(chunks, count))
        let size = (count + pieces - 1) / max(pieces, 1)
        let storage = UnsafeMutablePointer<Double>.allocate(capacity: pieces * width)
        storage.initialize(repeating: 0, count: pieces * width)
        defer { storage.deallocate() }
        let slots = Slots(base: storage)
        forEach(pieces, chunks: pieces) { chunkRange in
            for chunk in chunkRange {
                let start = chunk * size, end = min(count, start + size)
                guard start < end else { continue }
                let partial = body(start..<end)
                for t in 0..<width { slots.base[chunk * width + t] = partial[t] }
            }
        }
        var total = [Double](repeating: 0, count: width)
        for chunk in 0..<pieces { for t in 0..<width { total[t] += storage[chunk * width + t] } }
        return total
    }
}
