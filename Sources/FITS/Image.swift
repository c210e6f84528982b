/// An N-dimensional image in one contiguous buffer, in FITS order: the first axis (NAXIS1, x) varies fastest.
///
/// A 2-D image of width w has pixel (x, y) at `pixels[y * w + x]`; a cube's plane k starts at `k * w * h`.
public struct Image<Pixel: FITSPixel>: Sendable, Equatable {
    /// Axis lengths in FITS order (NAXIS1, NAXIS2, …).
    public private(set) var axes: [Int]
    public var pixels: [Pixel]

    public init(axes: [Int], pixels: [Pixel]) {
        precondition(axes.reduce(1, *) == pixels.count, "image of axes \(axes) needs \(axes.reduce(1, *)) pixels, got \(pixels.count)")
        self.axes = axes
        self.pixels = pixels
    }

    /// An image filled with one value.
    public init(axes: [Int], repeating value: Pixel) {
        self.axes = axes
        self.pixels = [Pixel](repeating: value, count: axes.reduce(1, *))
    }

    /// A 2-D image of the given width and height.
    public init(width: Int, height: Int, repeating value: Pixel) { self.init(axes: [width, height], repeating: value) }

    public var width: Int { axes.first ?? 0 }
    public var height: Int { axes.count > 1 ? axes[1] : 1 }
    /// Number of 2-D planes (NAXIS3 × NAXIS4 …); 1 for a 2-D image.
    public var planes: Int { axes.count > 2 ? axes.dropFirst(2).reduce(1, *) : 1 }
    public var count: Int { pixels.count }

    public subscript(x: Int, y: Int) -> Pixel {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Plane `k` of a cube as a 2-D image.
    public func plane(_ k: Int) -> Image<Pixel> {
        let n = width * height
        return Image(axes: [width, height], pixels: Array(pixels[(k * n)..<((k + 1) * n)]))
    }
}
