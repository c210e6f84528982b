/// Where the working frame's pixel (x along the dispersion, y along the slice) sits in an image stored in its
/// detector layout (FITS order, detector x fastest). Every array is addressed through this, so images are used as
/// read and written as stored, without transposes: NIRSpec disperses along detector x (working frame = detector
/// frame, slice axis strided), MIRI MRS along detector y (working x = detector row, slice axis contiguous).
/// "Rotate the problem, not the code."
public struct FrameLayout: Sendable, Equatable {
    /// Working-frame size: columns along the dispersion, pixels along the slice.
    public let width: Int
    public let height: Int
    /// True when the slice axis is the detector's fast axis (MIRI MRS).
    public let sliceAxisIsFast: Bool

    public init(width: Int, height: Int, sliceAxisIsFast: Bool) {
        self.width = width
        self.height = height
        self.sliceAxisIsFast = sliceAxisIsFast
    }

    /// The layout of a detector image of `axes` (FITS order) whose dispersion runs along detector y or x.
    public init(detectorAxes axes: [Int], dispersionAlongY: Bool) {
        self.init(
            width: dispersionAlongY ? axes[1] : axes[0], height: dispersionAlongY ? axes[0] : axes[1],
            sliceAxisIsFast: dispersionAlongY)
    }

    public var count: Int { width * height }
    /// FITS axes of an image in this layout.
    public var axes: [Int] { sliceAxisIsFast ? [height, width] : [width, height] }
    var xStride: Int { sliceAxisIsFast ? height : 1 }
    var yStride: Int { sliceAxisIsFast ? 1 : width }

    @inline(__always)
    func index(_ x: Int, _ y: Int) -> Int { x &* xStride &+ y &* yStride }

    /// The same detector orientation with the slice axis N times longer: the oversampled grid.
    func oversampled(_ n: Int) -> FrameLayout { FrameLayout(width: width, height: height * n, sliceAxisIsFast: sliceAxisIsFast) }

    /// Calls `body(x, y, index)` for every pixel, in memory order (streams through the array).
    @inline(__always)
    func forEachPixel(_ body: (Int, Int, Int) -> Void) {
        var i = 0
        if sliceAxisIsFast {
            for x in 0..<width { for y in 0..<height { body(x, y, i); i &+= 1 } }
        } else {
            for y in 0..<height { for x in 0..<width { body(x, y, i); i &+= 1 } }
        }
    }
}
