/// Nod subtraction done here, as jwst's Level-2 background step does for nodded exposures: each nod minus the mean of
/// the others. Used when un-subtracted nods hold a source too faint to find on one nod: the sky, fixed on the
/// detector (bar shadows and all), cancels, and what is left is the source's positive trace and its negative copies.
enum NodDifference {
    static func apply(_ frames: [SlitFrame]) -> [SlitFrame] {
        guard frames.count > 1 else { return frames }
        let others = Double(frames.count - 1)
        return frames.indices.map { f in
            var out = frames[f]
            for i in out.data.indices {
                var variance = out.weight[i] > 0 ? 1 / out.weight[i] : .infinity
                for g in frames.indices where g != f {
                    out.data[i] -= frames[g].data[i] / others
                    variance += frames[g].weight[i] > 0 ? 1 / (frames[g].weight[i] * others * others) : .infinity
                    out.flagged[i] = out.flagged[i] || frames[g].flagged[i]
                }
                out.weight[i] = variance.isFinite ? 1 / variance : 0
            }
            out.nodSubtracted = true
            return out
        }
    }
}
