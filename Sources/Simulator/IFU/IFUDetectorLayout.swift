/// One IFU slice as it falls on a detector: its REGIONS value, where it looks on the sky, and its centre line
/// (a smooth, slightly tilted and curved curve along the dispersion direction).
public struct IFUSlice: Sendable, Equatable {
    /// The value written into REGIONS (1…30 for NIRSpec, 100*channel + slice for MIRI MRS).
    public var region: Int32
    /// Across-slice sky position of the slice centre, in slice widths from the field centre (neighbours differ by 1).
    public var skyIndex: Double
    /// Centre line: spatial position (px) = c0 + c1 u + c2 u², u = (t − mid) / half over the dispersion index t.
    public var c0: Double, c1: Double, c2: Double
    /// The slice covers along-slice coordinates −halfLength ≤ α < +halfLength (px from the centre line).
    public var halfLength: Double
    /// Dispersion pixels the slice's light reaches.
    public var dispersionRange: Range<Int>
    /// Wavelength (µm) at the first and last dispersion pixel.
    public var wavelengthStart: Double, wavelengthEnd: Double

    /// Spatial position (px, fractional) of the centre line at dispersion index t.
    public func centre(at t: Double, dispersionLength: Int) -> Double {
        let half = Double(dispersionLength) / 2
        let u = (t - (half - 0.5)) / half
        return c0 + c1 * u + c2 * u * u
    }

    /// Wavelength (µm) at dispersion index t (linear dispersion).
    public func wavelength(at t: Double, dispersionLength: Int) -> Double {
        wavelengthStart + (wavelengthEnd - wavelengthStart) * t / Double(max(1, dispersionLength - 1))
    }
}

/// Where the slices of an IFU fall on one detector, and which detector axis carries the dispersion.
public struct IFUDetectorLayout: Sendable, Equatable {
    /// FITS axes of the detector image (NAXIS1, NAXIS2).
    public var width: Int, height: Int
    /// NIRSpec: dispersion along x (columns); MIRI MRS: along y.
    public var dispersionAlongX: Bool
    public var slices: [IFUSlice]

    /// Number of pixels along the dispersion axis.
    public var dispersionLength: Int { dispersionAlongX ? width : height }
    /// Number of pixels along the spatial (along-slice) axis.
    public var spatialLength: Int { dispersionAlongX ? height : width }

    /// Index into a FITS-order buffer of dispersion index t and spatial index s, for `oversample` times finer
    /// sampling of the spatial axis.
    @inline(__always)
    public func pixelIndex(t: Int, s: Int, oversample: Int = 1) -> Int {
        dispersionAlongX ? s &* width &+ t : t &* (width &* oversample) &+ s
    }

    /// FITS axes of the image oversampled `n` times along the spatial axis.
    public func axes(oversample n: Int) -> [Int] { dispersionAlongX ? [width, height * n] : [width * n, height] }
}
