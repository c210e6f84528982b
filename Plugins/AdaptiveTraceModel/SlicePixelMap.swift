/// How an oversampled pixel along the slice maps to a native detector pixel, as jwst 3.0's adaptive_trace_model
/// defines it: native = oversampled · (1/N) + offset, offset = −(N − 1)/(2N), so that the N new pixels of a native
/// pixel are centred on it. Both directions are computed with the operations astropy uses for `Scale | Shift` and
/// its inverse, so bounding boxes written from them equal jwst's to the last bit.
struct SlicePixelMap: Sendable, Equatable {
    let factor: Int

    /// The `Scale` factor, 1/N.
    var scale: Double { 1 / Double(factor) }
    /// The `Shift` offset, −(N − 1)/(2N).
    var offset: Double {
        let n = Double(factor)
        return -(n - 1) / (n * 2)
    }

    /// The native pixel coordinate of an oversampled one.
    func native(_ oversampled: Double) -> Double { oversampled * scale + offset }

    /// The oversampled pixel coordinate of a native one: astropy's inverse, `Shift(−offset) | Scale(1/scale)`.
    func oversampled(_ native: Double) -> Double { (native + -offset) * (1 / scale) }
}
