import Numerics

/// The chromatic cross-slit PSF the fit uses (`ChromaticProfile`), with its parameters packed as [a, b] or
/// [a, b, β] for the optimiser.
public typealias ChromaticPSF = ChromaticProfile

extension ChromaticProfile {
    public var parameters: [Double] { shape == .gaussian ? [a, b] : [a, b, beta] }

    public func with(parameters p: UnsafeBufferPointer<Double>) -> ChromaticProfile {
        ChromaticProfile(shape: shape, a: p[0], b: p[1], beta: shape == .moffat ? p[2] : beta)
    }

    public func with(parameters p: [Double]) -> ChromaticProfile { p.withUnsafeBufferPointer { with(parameters: $0) } }

    /// Bounds for the optimiser: a ≥ 0, b > 0 (a floor below 0.03 px is unmeasurable on pixels), 1.05 ≤ β ≤ 10.
    public var lowerBounds: [Double] { shape == .gaussian ? [0, 1e-3] : [0, 1e-3, 1.05] }
    public var upperBounds: [Double] { shape == .gaussian ? [1, 25] : [1, 25, 10] }
}
