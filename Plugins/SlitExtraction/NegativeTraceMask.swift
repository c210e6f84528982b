/// Nod-subtracted dithers (MAST's nodded `_cal` files, S_BKDSUB = COMPLETE) hold, besides their own trace,
/// negative traces where the other nods put the source: jwst subtracted the other nods as background. Those
/// pixels are signal of the wrong sign for a single positive PSF, so they are taken out of the fit: in each
/// dither, every pixel nearer to another dither's trace than to its own, and within `reach` of it, gets zero
/// weight. The fixed background cancelled in the subtraction; the fitted background then absorbs what is left.
enum NegativeTraceMask {
    /// `frames` with the other dithers' traces masked.
    static func apply(_ frames: [SlitFrame], traces: [TraceEstimate], reach: Double) -> [SlitFrame] {
        frames.enumerated().map { f, frame in
            var frame = frame
            for k in 0..<frame.length {
                let own = traces[f].centre(at: Double(k))
                let others = traces.indices.filter { $0 != f }.map { traces[$0].centre(at: Double(k)) }
                for j in 0..<frame.cross {
                    let y = Double(j), i = j * frame.length + k
                    let nearOther = others.contains { c in abs(y - c) <= reach && abs(y - c) < abs(y - own) }
                    if nearOther { frame.weight[i] = 0 }
                }
            }
            return frame
        }
    }
}
