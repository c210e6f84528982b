import FITS
import Foundation

/// Places the traces of a source too faint for `TraceLocator` from the nod pattern the headers record
/// (`NodPosition`): each nod's position along the slit is known in shutter pitches (MOS) or slit lengths (a fixed
/// slit's point source). The unit's size in pixels (sign included: it depends on the detector's orientation) and
/// the slit's origin on the cut-out are not in the cut-out's header (they live in the gwcs); they are found by
/// matching the nods' column-collapsed profiles with that pattern — each nod's own trace and, in nod-subtracted
/// data, the others' negative copies — which pools the signal of every column of every nod.
enum NodPlacement {
    /// A matched-filter detection threshold over the whole slit; the search tries ~10⁵–10⁶ placements, whose noise
    /// maximum stays below 5.
    static let detectionThreshold = 6.0

    static func place(_ frames: [SlitFrame], mixing: NodMixing) throws(SlitExtractionError) -> [TraceEstimate] {
        let found = frames.compactMap(\.nodPosition)
        let positions = found.map(\.value)
        guard found.count == frames.count, Set(found.map(\.unit)).count == 1, Set(positions.map { ($0 * 100).rounded() }).count > 1
        else {
            throw SlitExtractionError(
                "\(frames[0].name): no source found, and the headers give no nod pattern (SHUTSTA, SRCYPOS) to place it")
        }
        let unit = found[0].unit
        let cross = frames[0].cross
        // Column-collapsed profile of every nod: the weighted mean of each row and its weight.
        let profiles = frames.map { frame -> (value: [Double], weight: [Double]) in
            var value = [Double](repeating: 0, count: cross), weight = value
            for j in 0..<cross {
                var sw = 0.0, swd = 0.0
                for k in 0..<frame.length where frame.weight[j * frame.length + k] > 0 && frame.wavelength[j * frame.length + k] > 0 {
                    sw += frame.weight[j * frame.length + k]
                    swd += frame.weight[j * frame.length + k] * frame.data[j * frame.length + k]
                }
                value[j] = sw > 0 ? swd / sw : 0
                weight[j] = sw
            }
            return (value, weight)
        }
        var best = (score: -Double.infinity, origin: 0.0, pitch: 0.0, sigma: 1.0)
        for sigma in [0.7, 1.0, 1.4] {
            for sign in [-1.0, 1.0] {
                for pitch in stride(from: unit.pixels.lowerBound, through: unit.pixels.upperBound, by: unit.step) {
                    let rows = positions.map { sign * pitch * $0 }
                    // Origins that keep every nod's trace on the cut-out, away from its edge rows, and, for a fixed
                    // slit, near the cut-out's middle row.
                    var low = 0.5 - rows.min()!, high = Double(cross) - 1.5 - rows.max()!
                    if let window = unit.originWindow(cross: cross) {
                        low = max(low, window.lowerBound)
                        high = min(high, window.upperBound)
                    }
                    guard low <= high else { continue }
                    for origin in stride(from: low, through: high, by: 0.1) {
                        var signal = 0.0, norm = 0.0
                        for (f, profile) in profiles.enumerated() {
                            for j in 0..<cross where profile.weight[j] > 0 {
                                var model = 0.0
                                for g in mixing.sources[f] {
                                    let r = (Double(j) - origin - rows[g]) / sigma
                                    model += mixing.weight(f, g) * exp(-0.5 * r * r)
                                }
                                signal += profile.weight[j] * model * profile.value[j]
                                norm += profile.weight[j] * model * model
                            }
                        }
                        let score = norm > 0 ? signal / norm.squareRoot() : 0
                        if score > best.score { best = (score, origin, sign * pitch, sigma) }
                    }
                }
            }
        }
        guard best.score.isFinite else {
            throw SlitExtractionError(
                "\(frames[0].name): no source found on the slit, and the nod pattern of the headers places it off the slit")
        }
        guard best.score >= detectionThreshold else {
            throw SlitExtractionError(
                "\(frames[0].name): no source found, not even with the nod pattern of the headers (best match \(String(format: "%.1f", best.score))σ)"
            )
        }
        let reference = Double(frames[0].length - 1) / 2
        return positions.map { TraceEstimate(coefficients: [best.origin + best.pitch * $0], reference: reference, sigma: best.sigma) }
    }
}
