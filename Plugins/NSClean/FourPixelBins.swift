/// Values on bins of 4 pixels brought back to every pixel: linear interpolation between bin centres, held
/// constant past the end centres. Pixel 4b + r sits 3/8 or 1/8 before, or 1/8 or 3/8 after, the centre of bin b,
/// so the weights are constants and the loop has no divisions or branches. For the density of background samples
/// (`LineFitter`) and the coarse first model (`CoarseModel`), both smooth on scales of tens of pixels.
enum FourPixelBins {
    static let width = 4

    /// Fills `line` from the bin values `bins` (bin b covers pixels 4b…4b + 3; a last bin may be partial).
    static func interpolate<T: BinaryFloatingPoint>(_ bins: UnsafeBufferPointer<T>, into line: UnsafeMutableBufferPointer<T>) {
        let n = line.count, count = bins.count
        for b in 0..<count {
            let previous = bins[max(b &- 1, 0)], centre = bins[b], next = bins[min(b &+ 1, count &- 1)]
            let first = b &* width
            let values = (
                previous * 0.375 + centre * 0.625, previous * 0.125 + centre * 0.875,
                centre * 0.875 + next * 0.125, centre * 0.625 + next * 0.375
            )
            if first &+ 3 < n {
                line[first] = values.0
                line[first &+ 1] = values.1
                line[first &+ 2] = values.2
                line[first &+ 3] = values.3
            } else {
                for (r, value) in [values.0, values.1, values.2, values.3].enumerated() where first &+ r < n { line[first &+ r] = value }
            }
        }
    }
}
