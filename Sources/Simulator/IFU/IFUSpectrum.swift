import Foundation

/// A spectrum on the simulator's wavelength grid (µm): a power-law continuum with Gaussian emission (positive
/// strength) or absorption (negative strength) lines.
public struct IFUSpectrum: Sendable, Equatable {
    /// One spectral line: centre and width (σ) in µm, strength relative to the continuum at the reference wavelength.
    public struct Line: Sendable, Equatable {
        public var centre: Double, width: Double, strength: Double
        public init(centre: Double, width: Double, strength: Double) {
            self.centre = centre
            self.width = width
            self.strength = strength
        }
    }

    /// Continuum ∝ (λ/referenceWavelength)^slope.
    public var slope: Double
    public var referenceWavelength: Double
    public var lines: [Line]

    public init(slope: Double, referenceWavelength: Double, lines: [Line] = []) {
        self.slope = slope
        self.referenceWavelength = referenceWavelength
        self.lines = lines
    }

    public func value(at wavelength: Double) -> Double {
        var v = pow(wavelength / referenceWavelength, slope)
        for line in lines {
            let d = (wavelength - line.centre) / line.width
            if abs(d) < 8 { v += line.strength * exp(-0.5 * d * d) }
        }
        return max(0, v)
    }
}
