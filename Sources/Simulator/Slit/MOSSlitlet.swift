import FITS

/// The MSA shutters of one MOS slitlet and where they fall on its cut-out, from which follow the keywords jwst's
/// assign_wcs writes for each nod from the MSA metadata file: SHUTSTA (one character per shutter along the slitlet,
/// '1' open, 'x' the shutter the source was planned in), SRCYPOS (the source's planned position in that shutter,
/// −0.5…0.5 along the slitlet, growing with the shutter index) and SHUTTRID (that shutter's number,
/// row + 365 × (column − 1)). A background slitlet has no source: jwst marks its middle shutter and puts the
/// position at 0.
struct MOSSlitlet: Sendable {
    var quadrant: Int
    /// MSA row of the slitlet and MSA column of its first shutter; the slitlet runs along the columns.
    var row: Int
    var firstColumn: Int
    var shutters: Int
    /// Shutter pitch on the cut-out (px), and the cut-out row of the slitlet's middle.
    var pitch: Double
    var middleRow: Double
    /// +1 when the shutter columns run towards higher cut-out rows (the simulator's NRS1), −1 the other way
    /// (the CEERS NRS2 cut-outs).
    var direction: Double
    var holdsSource: Bool

    /// The shutter (0-based along the slitlet) and the position in it of a source planned at cut-out row `row`.
    func place(row plannedRow: Double) -> (shutter: Int, position: Double) {
        guard holdsSource else { return (shutters / 2, 0) }
        let u = (plannedRow - middleRow) * direction / pitch + Double(shutters - 1) / 2
        let shutter = min(shutters - 1, max(0, Int(u.rounded())))
        return (shutter, u - Double(shutter))
    }

    /// SHUTSTA, SRCYPOS, SHUTTRID and MSAQUAD for a nod whose source was planned at `plannedRow`.
    func keywords(plannedRow: Double, into science: inout Header) {
        let (shutter, position) = place(row: plannedRow)
        let state = (0..<shutters).map { $0 == shutter ? "x" : "1" }.joined()
        science.set("SHUTSTA", .string(state), comment: "All.shutter open/close status")
        science.set("SRCYPOS", .real(position), comment: "Source position in slit (fraction of shutter height)")
        science.set("SHUTTRID", .integer(row + 365 * (firstColumn + shutter - 1)), comment: "Shutter ID")
        science.set("MSAQUAD", .integer(quadrant), comment: "MSA quadrant")
    }
}
