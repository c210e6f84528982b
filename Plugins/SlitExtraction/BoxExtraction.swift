/// The classical extraction computed beside the fit: per dither and column, the background-subtracted sum over
/// an aperture of ±`halfWidth` pixels around the fitted trace (edge pixels counted by their overlap), then the
/// mean over dithers. Flagged pixels contribute nothing, as in the `jwst` box extraction of NaN pixels; cosmic
/// rays the pipeline missed are summed like signal.
enum BoxExtraction {
    static func extract(
        frames: [SlitFrame], background: (Int, Int) -> Double, centre: (Int, Int) -> Double,
        halfWidth: Double
    ) -> (flux: [Double], error: [Double]) {
        let length = frames[0].length
        var flux = [Double](repeating: .nan, count: length), error = flux
        for k in 0..<length {
            var sum = 0.0, variance = 0.0, used = 0
            for (f, frame) in frames.enumerated() {
                let c = centre(f, k)
                var s = 0.0, v = 0.0, any = false
                for j in 0..<frame.cross {
                    let overlap = min(Double(j) + 0.5, c + halfWidth) - max(Double(j) - 0.5, c - halfWidth)
                    let i = j * length + k
                    guard overlap > 0, frame.weight[i] > 0 else { continue }
                    let fraction = min(1, overlap)
                    s += fraction * (frame.data[i] - background(j, k))
                    v += fraction * fraction / frame.weight[i]
                    any = true
                }
                if any { sum += s; variance += v; used += 1 }
            }
            if used > 0 {
                flux[k] = sum / Double(used)
                error[k] = variance.squareRoot() / Double(used)
            }
        }
        return (flux, error)
    }
}
