/// How each dither's image is made of the source's traces. Un-subtracted dithers hold their own trace only. In
/// nod-subtracted exposures (jwst subtracted the mean of the other nods as background) dither f also holds every
/// other nod g's trace — the same spectrum and PSF at g's position and flux scale — with weight −1/(N−1), so those
/// pixels are modelled as data rather than thrown away.
struct NodMixing: Sendable {
    let count: Int
    let subtracted: Bool
    /// The traces present in each dither.
    let sources: [[Int]]

    init(frames: [SlitFrame]) {
        let count = frames.count, subtracted = count > 1 && frames.allSatisfy(\.nodSubtracted)
        self.count = count
        self.subtracted = subtracted
        sources = (0..<count).map { f in subtracted ? Array(0..<count) : [f] }
    }

    /// Weight of trace `g` in dither `f`.
    @inline(__always) func weight(_ f: Int, _ g: Int) -> Double {
        f == g ? 1 : (subtracted ? -1 / Double(count - 1) : 0)
    }
}
