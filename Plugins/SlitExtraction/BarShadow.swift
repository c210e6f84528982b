import FITS

/// NIRSpec MOS bar shadows. jwst's barshadow step divides a slitlet by the shadow the bars between its shutters cast
/// on a uniformly lit slit, but only for extended sources: a point source's profile is what the detector recorded,
/// and dividing it lifts its wings under the bars. The asset step models a point source, so a correction that was
/// applied is undone (the data and variances multiplied back) and one that was not is left alone.
enum BarShadow {
    /// True when the correction was applied: BARSHDW says so, or (pipelines before the keyword) the BARSHADOW plane
    /// is not the plane of ones jwst stores when it skips the correction.
    static func wasApplied(_ shadow: [Float], science header: Header) -> Bool {
        if let recorded = header.logical("BARSHDW") { return recorded }
        return shadow.contains { $0.isFinite && $0 > 0 && abs($0 - 1) > 1e-6 }
    }

    /// Multiplies the data by the correction and each variance part by its square (detector order).
    static func undo(_ shadow: [Float], science: inout [Float], variances: inout [[Float]?]) {
        for i in science.indices where shadow[i].isFinite && shadow[i] > 0 {
            science[i] *= shadow[i]
        }
        for p in variances.indices {
            guard var part = variances[p] else { continue }
            for i in part.indices where shadow[i].isFinite && shadow[i] > 0 { part[i] *= shadow[i] * shadow[i] }
            variances[p] = part
        }
    }
}
