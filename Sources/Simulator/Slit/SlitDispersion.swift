import Foundation

/// Wavelength (µm) of every pixel along the dispersion axis of a slit spectrum: a linear law for gratings and
/// the strongly non-linear law of the NIRSpec prism (resolving power ~100 at 0.7 µm, ~30 at 1.2 µm, ~300 at 5 µm).
public struct SlitDispersion: Sendable, Equatable {
    /// Wavelength at each integer pixel of the dispersion axis.
    public var wavelengths: [Double]

    public var count: Int { wavelengths.count }

    /// A linear law: `start` µm at pixel 0, `step` µm per pixel (negative for decreasing wavelength).
    public static func linear(start: Double, step: Double, pixels: Int) -> SlitDispersion {
        SlitDispersion(wavelengths: (0..<pixels).map { start + step * Double($0) })
    }

    /// A law that spreads `range` over `pixels` with a local resolving power `resolvingPower(λ)`: each pixel spans
    /// λ/(2R), so the pixel coordinate is ∫ 2R/λ dλ, rescaled to the number of pixels.
    public static func resolvingPower(_ resolvingPower: (Double) -> Double, range: ClosedRange<Double>, pixels: Int) -> SlitDispersion {
        let samples = 4000
        let dl = (range.upperBound - range.lowerBound) / Double(samples)
        var position = [0.0]
        for i in 0..<samples {
            let lm = range.lowerBound + (Double(i) + 0.5) * dl
            position.append(position[i] + 2 * resolvingPower(lm) / lm * dl)
        }
        let scale = Double(pixels - 1) / position[samples]
        var wavelengths: [Double] = []
        var i = 0
        for p in 0..<pixels {
            let target = Double(p)
            while i < samples - 1 && position[i + 1] * scale < target { i += 1 }
            let x0 = position[i] * scale, x1 = position[i + 1] * scale
            let t = x1 > x0 ? min(1, max(0, (target - x0) / (x1 - x0))) : 0
            wavelengths.append(range.lowerBound + (Double(i) + t) * dl)
        }
        return SlitDispersion(wavelengths: wavelengths)
    }

    /// The NIRSpec prism (CLEAR), 0.6–5.3 µm.
    public static func nirspecPrism(pixels: Int) -> SlitDispersion {
        resolvingPower(
            { l in l < 1.2 ? 30 + 70 * pow((1.2 - l) / 0.6, 2) : 30 + 270 * pow((l - 1.2) / 3.8, 1.6) },
            range: 0.6...5.3, pixels: pixels)
    }

    /// Wavelength at a fractional pixel (linear between integer pixels, extrapolated at the ends).
    public func wavelength(atPixel x: Double) -> Double {
        let n = wavelengths.count
        let i = min(max(Int(x.rounded(.down)), 0), n - 2)
        let t = x - Double(i)
        return wavelengths[i] + t * (wavelengths[i + 1] - wavelengths[i])
    }

    /// dλ/dx at a fractional pixel.
    public func derivative(atPixel x: Double) -> Double {
        let n = wavelengths.count
        let i = min(max(Int(x.rounded(.down)), 0), n - 2)
        return wavelengths[i + 1] - wavelengths[i]
    }
}
