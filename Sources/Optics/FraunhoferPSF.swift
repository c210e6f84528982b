import Foundation
import Numerics

/// Monochromatic point-spread functions computed from physics: the Fraunhofer transform of the JWST pupil,
/// integrated over square detector pixels, blurred by pointing jitter (and, optionally, extra instrument blur).
public enum FraunhoferPSF {
    /// What the PSF is computed for.
    public struct Settings: Sendable, Hashable {
        /// Pixel size of the returned image, arcsec.
        public var pixelScale: Double
        /// Side of the returned (odd-sized) square image, pixels.
        public var size: Int
        /// Sub-samples per pixel side (odd) over which the optical PSF is integrated.
        public var oversample: Int
        /// Pointing jitter, Gaussian sigma in arcsec (JWST: about 0.007).
        public var jitter: Double
        /// Extra Gaussian blur (sigma, arcsec) of the instrument optics after the telescope (e.g. an IFU slicer).
        public var instrumentBlur: Double

        public init(pixelScale: Double, size: Int, oversample: Int = 3, jitter: Double = 0.007, instrumentBlur: Double = 0) {
            self.pixelScale = pixelScale
            self.size = size | 1
            self.oversample = max(1, oversample | 1)
            self.jitter = jitter
            self.instrumentBlur = instrumentBlur
        }
    }

    /// The PSF at `wavelength` (µm) as a row-major size×size image centred on the middle pixel, summing to 1.
    public static func image(wavelength: Double, settings: Settings, pupil: JWSTPupil = JWSTPupil()) -> [Double] {
        let n = settings.size, s = settings.oversample
        let fine = n * s
        var fftSize = 256
        while fftSize < fine + 2 { fftSize *= 2 }
        let radiansPerArcsec = Double.pi / 180 / 3600
        let fineAngle = settings.pixelScale / Double(s) * radiansPerArcsec
        // Angular sampling λ/(N·dx) fixes the pupil-plane spacing for this wavelength.
        var spacing = wavelength * 1e-6 / (Double(fftSize) * fineAngle)
        while Double(fftSize) * spacing < 2 * pupil.outerRadius + 2 * spacing {
            fftSize *= 2
            spacing = wavelength * 1e-6 / (Double(fftSize) * fineAngle)
        }
        let transmission = pupil.raster(size: fftSize, spacing: spacing)
        var field = [Double](repeating: 0, count: 2 * fftSize * fftSize)
        for i in 0..<(fftSize * fftSize) { field[2 * i] = transmission[i] }
        let fft = FFT2D(rows: fftSize, columns: fftSize)
        fft.forward(&field)
        // Intensity, shifted so the optical axis falls on the middle of the fine grid, then integrated over pixels.
        var binned = [Double](repeating: 0, count: n * n)
        let half = fine / 2
        for fy in 0..<fine {
            let sy = (fy - half + fftSize) % fftSize
            for fx in 0..<fine {
                let sx = (fx - half + fftSize) % fftSize
                let k = 2 * (sy * fftSize + sx)
                binned[(fy / s) * n + fx / s] += field[k] * field[k] + field[k + 1] * field[k + 1]
            }
        }
        let sigma =
            (settings.jitter * settings.jitter + settings.instrumentBlur * settings.instrumentBlur).squareRoot() / settings.pixelScale
        if sigma > 0 { binned = GaussianBlur.apply(binned, width: n, height: n, sigma: sigma) }
        let total = binned.reduce(0, +)
        return total > 0 ? binned.map { $0 / total } : binned
    }
}

/// Separable Gaussian smoothing of a small image with zero boundary (used for jitter and instrument blur).
public enum GaussianBlur {
    public static func apply(_ image: [Double], width: Int, height: Int, sigma: Double) -> [Double] {
        let radius = max(1, Int((4 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let norm = kernel.reduce(0, +)
        kernel = kernel.map { $0 / norm }
        var rows = [Double](repeating: 0, count: image.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for (o, w) in kernel.enumerated() {
                    let xx = x + o - radius
                    if xx >= 0, xx < width { sum += w * image[y * width + xx] }
                }
                rows[y * width + x] = sum
            }
        }
        var out = [Double](repeating: 0, count: image.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0.0
                for (o, w) in kernel.enumerated() {
                    let yy = y + o - radius
                    if yy >= 0, yy < height { sum += w * rows[yy * width + x] }
                }
                out[y * width + x] = sum
            }
        }
        return out
    }
}

/// Default optical parameters of the instruments, shared by the simulator and the fusion step's PSF model.
public enum InstrumentOptics {
    /// Pointing jitter of JWST, Gaussian sigma in arcsec (the WebbPSF default).
    public static let jitter = 0.007
    /// Extra blur of the NIRSpec IFU (image slicer and spectrograph optics), Gaussian sigma in arcsec; it makes
    /// the IFU PSF broader than the telescope's diffraction limit, as in-flight cubes show.
    public static let nirspecIFUBlur = 0.025
    /// NIRCam short-wavelength detector pixel, arcsec.
    public static let nircamShortPixel = 0.031
    /// NIRSpec IFU cube spaxel, arcsec.
    public static let nirspecSpaxel = 0.1
}
