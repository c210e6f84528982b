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

    /// Factor on the posterior variance of the spectrum. The N nod-subtracted images are made of the same N exposures
    /// (they sum to zero) but are weighted as independent: a source pixel of nod g then counts once as g's positive
    /// trace and again, through the other images, as its negative copies, which carry g's photons a second time. For
    /// traces that do not overlap and nods of equal noise, that overstates the information by N/(N−1) (the
    /// exposures' own information, once the common background is removed, is s²(N−1)/(Nv) per pixel; the weighted
    /// images give s²/v).
    var varianceInflation: Double { subtracted ? Double(count) / Double(count - 1) : 1 }

    /// Weight of trace `g` in dither `f`.
    @inline(__always) func weight(_ f: Int, _ g: Int) -> Double {
        f == g ? 1 : (subtracted ? -1 / Double(count - 1) : 0)
    }
}
