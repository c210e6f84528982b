/// One dither of a slit spectrum in spectrograph order — `[j * length + k]`, j across the slit, k along the
/// dispersion — with what the fit needs per pixel: the value, its weight (inverse variance, 0 when unusable)
/// and its wavelength (0 when unknown). This is the plain-array input of `SlitExtractor`.
public struct SlitFrame: Sendable {
    public var name: String
    /// Pixels along the dispersion and across the slit.
    public var length: Int
    public var cross: Int
    public var data: [Double]
    public var weight: [Double]
    /// Wavelength in µm; non-positive or non-finite where the pixel has none.
    public var wavelength: [Double]
    /// Pixels the pipeline flagged (kept apart from outliers the fit rejects).
    public var flagged: [Bool]
    /// True when the other dithers were subtracted from this one as background (negative traces at their positions).
    public var nodSubtracted = false
    /// Where the headers put the source along the slit (`NodPlacement`); nil when they do not say.
    public var nodPosition: NodPosition?

    public init(name: String, length: Int, cross: Int, data: [Double], weight: [Double], wavelength: [Double], flagged: [Bool]? = nil) {
        precondition(data.count == length * cross && weight.count == data.count && wavelength.count == data.count)
        self.name = name
        self.length = length
        self.cross = cross
        self.data = data
        self.weight = weight
        self.wavelength = wavelength
        self.flagged = flagged ?? weight.map { $0 <= 0 }
    }

    /// A detector-ordered plane (x fastest) in spectrograph order, transposed when the dispersion runs along y.
    public static func spectrographOrder(_ plane: [Float], width: Int, height: Int, dispersionAlongY: Bool) -> [Double] {
        guard dispersionAlongY else { return plane.map(Double.init) }
        var out = [Double](repeating: 0, count: plane.count)
        for y in 0..<height { for x in 0..<width { out[x * height + y] = Double(plane[y * width + x]) } }
        return out
    }

    /// Builds a frame from detector-ordered arrays (x fastest), transposing when the dispersion runs along y.
    /// Weights are 1/variance, zero where `unusable` is set or any input is not finite.
    public static func fromDetector(
        name: String, width: Int, height: Int, dispersionAlongY: Bool, science: [Float],
        variance: [Float], wavelength: [Float], unusable: [Bool]
    ) -> SlitFrame {
        let (length, cross) = dispersionAlongY ? (height, width) : (width, height)
        var d = [Double](repeating: 0, count: width * height), w = d, l = d
        var flagged = [Bool](repeating: true, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let src = y * width + x
                let dst = dispersionAlongY ? x * length + y : src
                let value = Double(science[src]), v = Double(variance[src]), lambda = Double(wavelength[src])
                let good = !unusable[src] && value.isFinite && v.isFinite && v > 0
                d[dst] = value.isFinite ? value : 0
                w[dst] = good ? 1 / v : 0
                flagged[dst] = !good
                l[dst] = lambda.isFinite && lambda > 0 ? lambda : 0
            }
        }
        return SlitFrame(name: name, length: length, cross: cross, data: d, weight: w, wavelength: l, flagged: flagged)
    }
}
