/// An image whose element type is known only at run time: what an HDU read from a file holds.
public enum AnyImage: Sendable, Equatable {
    case uint8(Image<UInt8>)
    case int16(Image<Int16>)
    case uint16(Image<UInt16>)
    case int32(Image<Int32>)
    case uint32(Image<UInt32>)
    case int64(Image<Int64>)
    case float32(Image<Float>)
    case float64(Image<Double>)

    public init<P: FITSPixel>(_ image: Image<P>) {
        switch image {
        case let i as Image<UInt8>: self = .uint8(i)
        case let i as Image<Int16>: self = .int16(i)
        case let i as Image<UInt16>: self = .uint16(i)
        case let i as Image<Int32>: self = .int32(i)
        case let i as Image<UInt32>: self = .uint32(i)
        case let i as Image<Int64>: self = .int64(i)
        case let i as Image<Float>: self = .float32(i)
        case let i as Image<Double>: self = .float64(i)
        default: preconditionFailure("unsupported pixel type \(P.self)")
        }
    }

    public var axes: [Int] {
        switch self {
        case .uint8(let i): i.axes
        case .int16(let i): i.axes
        case .uint16(let i): i.axes
        case .int32(let i): i.axes
        case .uint32(let i): i.axes
        case .int64(let i): i.axes
        case .float32(let i): i.axes
        case .float64(let i): i.axes
        }
    }

    /// FITS BITPIX of the stored type (unsigned types report their signed container).
    public var bitpix: Int {
        switch self {
        case .uint8: 8
        case .int16, .uint16: 16
        case .int32, .uint32: 32
        case .int64: 64
        case .float32: -32
        case .float64: -64
        }
    }

    /// An image of the same pixel type and number of axes with one pixel: its header takes as many cards.
    var onePixelStandIn: AnyImage {
        func one<P: FITSPixel>(_ i: Image<P>) -> AnyImage { AnyImage(Image(axes: i.axes.map { _ in 1 }, pixels: [P.zero])) }
        switch self {
        case .uint8(let i): return one(i)
        case .int16(let i): return one(i)
        case .uint16(let i): return one(i)
        case .int32(let i): return one(i)
        case .uint32(let i): return one(i)
        case .int64(let i): return one(i)
        case .float32(let i): return one(i)
        case .float64(let i): return one(i)
        }
    }

    /// Runs `body` with the pixels' bytes as stored in memory (native byte order).
    func withPixelBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch self {
        case .uint8(let i): i.pixels.withUnsafeBytes(body)
        case .int16(let i): i.pixels.withUnsafeBytes(body)
        case .uint16(let i): i.pixels.withUnsafeBytes(body)
        case .int32(let i): i.pixels.withUnsafeBytes(body)
        case .uint32(let i): i.pixels.withUnsafeBytes(body)
        case .int64(let i): i.pixels.withUnsafeBytes(body)
        case .float32(let i): i.pixels.withUnsafeBytes(body)
        case .float64(let i): i.pixels.withUnsafeBytes(body)
        }
    }

    /// The image when it holds exactly `P`, without conversion.
    public func typed<P: FITSPixel>(_ type: P.Type = P.self) -> Image<P>? {
        switch self {
        case .uint8(let i): i as? Image<P>
        case .int16(let i): i as? Image<P>
        case .uint16(let i): i as? Image<P>
        case .int32(let i): i as? Image<P>
        case .uint32(let i): i as? Image<P>
        case .int64(let i): i as? Image<P>
        case .float32(let i): i as? Image<P>
        case .float64(let i): i as? Image<P>
        }
    }

    /// The image converted to 32-bit floats (no copy when it already is).
    public func floats() -> Image<Float> {
        switch self {
        case .float32(let i): i
        case .float64(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        case .uint8(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        case .int16(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        case .uint16(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        case .int32(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        case .uint32(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        case .int64(let i): Image(axes: i.axes, pixels: i.pixels.map { Float($0) })
        }
    }

    /// The image converted to unsigned 32-bit integers, the type of JWST DQ arrays.
    public func unsigned32() -> Image<UInt32> {
        func convert<P: FITSPixel & BinaryInteger>(_ i: Image<P>) -> Image<UInt32> {
            Image(axes: i.axes, pixels: i.pixels.map { UInt32(truncatingIfNeeded: $0) })
        }
        switch self {
        case .uint32(let i): return i
        case .uint8(let i): return convert(i)
        case .int16(let i): return convert(i)
        case .uint16(let i): return convert(i)
        case .int32(let i): return convert(i)
        case .int64(let i): return convert(i)
        case .float32(let i): return Image(axes: i.axes, pixels: i.pixels.map { $0.isFinite && $0 >= 0 ? UInt32($0) : 0 })
        case .float64(let i): return Image(axes: i.axes, pixels: i.pixels.map { $0.isFinite && $0 >= 0 ? UInt32($0) : 0 })
        }
    }

    /// The image converted to signed 32-bit integers (REGIONS maps, context images).
    public func signed32() -> Image<Int32> {
        if case .int32(let i) = self { return i }
        let f = floats()
        return Image(axes: f.axes, pixels: f.pixels.map { $0.isFinite ? Int32($0) : 0 })
    }
}
