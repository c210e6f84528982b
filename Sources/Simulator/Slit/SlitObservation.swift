import Foundation
import Pipeline

/// Everything that defines a simulated slit observation — geometry, PSF law, source spectrum, pointing of each
/// dither, background, noise and detector defects — and the drawing of its frames.
///
/// Arrays are drawn in spectrograph order, `[j * length + k]` with j across the slit and k along the dispersion;
/// `SlitCalFile` turns them into detector order (MIRI LRS disperses along y).
public struct SlitObservation: Sendable {
    public var dispersion: SlitDispersion
    /// Pixels across the slit.
    public var crossPixels: Int
    public var psf: SlitPSFLaw
    public var spectrum: SlitSourceSpectrum
    /// Trace centre (cross-slit pixel coordinate, 0 = centre of the first pixel) at `referencePixel`, per dither.
    public var traceCentres: [Double]
    /// Where each dither was planned to put the source (`traceCentres` without the pointing error): what the
    /// headers' SRCYPOS record.
    public var plannedCentres: [Double]
    /// The dispersion pixel the trace centres refer to.
    public var referencePixel: Double
    /// Trace tilt (cross pixels per dispersion pixel) and curvature (per pixel²), the same in every dither.
    public var traceSlope: Double
    public var traceCurvature: Double
    /// Shift of the iso-wavelength lines along the dispersion, in pixels per cross-slit pixel.
    public var isoWavelengthTilt: Double
    /// Image units per Jy of source flux landing in one pixel (MJy: 1e-6; MJy/sr: 1e-6 / pixel area).
    public var imageUnitsPerJy: Double
    /// Background in image units at the middle of the band, its fractional change along the slit (end to end)
    /// and its power-law index with wavelength. The background is fixed on the detector (the same in every dither).
    public var background: Double
    public var backgroundGradient: Double
    public var backgroundIndex: Double
    /// Noise: read-noise sigma (image units), Poisson variance per image unit, flat-field error as a fraction.
    public var readNoise: Double
    public var poissonGain: Double
    public var flatError: Double
    public var badPixelFraction: Double
    /// Fraction of pixels hit by cosmic rays that the pipeline did not flag, and that it flagged (JUMP_DET).
    public var cosmicRayFraction: Double
    public var flaggedCosmicRayFraction: Double

    public var length: Int { dispersion.count }
    public var frameCount: Int { traceCentres.count }

    /// Trace centre of dither `frame` at dispersion pixel `k`.
    public func traceCentre(frame: Int, at k: Double) -> Double {
        let u = k - referencePixel
        return traceCentres[frame] + traceSlope * u + traceCurvature * u * u
    }

    /// Wavelength of pixel (j, k).
    public func wavelength(cross j: Int, along k: Int) -> Double {
        dispersion.wavelength(atPixel: Double(k) + isoWavelengthTilt * (Double(j) - Double(crossPixels - 1) / 2))
    }

    /// Noiseless background at pixel (j, k).
    public func backgroundValue(cross j: Int, along k: Int, wavelength: Double) -> Double {
        let mid = (dispersion.wavelengths.first! + dispersion.wavelengths.last!) / 2
        let along = Double(j) / Double(max(1, crossPixels - 1)) - 0.5
        return background * pow(wavelength / mid, backgroundIndex) * (1 + backgroundGradient * along)
    }

    /// Bits of the truth's defect map.
    public enum Defect {
        public static let unflaggedCosmicRay: Int32 = 1
        public static let flaggedCosmicRay: Int32 = 2
        public static let badPixel: Int32 = 4
    }

    /// One drawn dither, in spectrograph order.
    public struct Frame: Sendable {
        public var science: [Float]
        public var dq: [UInt32]
        public var wavelength: [Float]
        public var varPoisson: [Float]
        public var varReadNoise: [Float]
        public var varFlat: [Float]
        public var noiseless: [Float]
        public var defects: [Int32]
    }

    /// Draws dither `frame` with its own random streams (so frames do not depend on each other).
    public func draw(frame: Int, rng base: SeededRandom) -> Frame {
        let n = crossPixels * length
        var out = Frame(
            science: [], dq: [UInt32](repeating: 0, count: n), wavelength: [], varPoisson: [], varReadNoise: [],
            varFlat: [], noiseless: [], defects: [Int32](repeating: 0, count: n))
        out.science.reserveCapacity(n)
        var noise = base.stream("noise-\(frame)")
        for j in 0..<crossPixels {
            for k in 0..<length {
                let lambda = wavelength(cross: j, along: k)
                let rho = Double(j) - traceCentre(frame: frame, at: Double(k))
                let source = spectrum.flux(at: lambda) * imageUnitsPerJy * psf.value(rho: rho, lambda: lambda)
                let signal = source + backgroundValue(cross: j, along: k, wavelength: lambda)
                let vp = poissonGain * max(signal, 0), vr = readNoise * readNoise, vf = pow(flatError * signal, 2)
                out.noiseless.append(Float(signal))
                out.wavelength.append(Float(lambda))
                out.varPoisson.append(Float(vp))
                out.varReadNoise.append(Float(vr))
                out.varFlat.append(Float(vf))
                out.science.append(Float(signal + (vp + vr + vf).squareRoot() * noise.gaussian()))
            }
        }
        var defects = base.stream("defects-\(frame)")
        for i in 0..<n {
            let u = defects.uniform()
            let sigma = Double(out.varPoisson[i] + out.varReadNoise[i] + out.varFlat[i]).squareRoot()
            if u < badPixelFraction {
                out.dq[i] =
                    DataQuality.doNotUse.rawValue
                    | (defects.uniform() < 0.5 ? DataQuality.hotPixel.rawValue : DataQuality.deadPixel.rawValue)
                // The pipeline writes NaN into most unusable pixels; some keep a garbage value, which only DQ reveals.
                out.science[i] = defects.uniform() < 0.5 ? .nan : Float(Double(out.science[i]) + sigma * (50 + 500 * defects.uniform()))
                out.defects[i] |= Defect.badPixel
            } else if u < badPixelFraction + cosmicRayFraction + flaggedCosmicRayFraction {
                out.science[i] += Float(sigma * (10 + 300 * defects.uniform()))
                if u < badPixelFraction + cosmicRayFraction {
                    out.defects[i] |= Defect.unflaggedCosmicRay
                } else {
                    out.dq[i] |= DataQuality.jumpDetected.rawValue
                    out.defects[i] |= Defect.flaggedCosmicRay
                }
            }
        }
        return out
    }
}
