import FITS
import Foundation

/// A PSF supplied by the user instead of the physical-optics default: a FITS image (one PSF) or cube (one PSF
/// per wavelength, wavelengths from a WAVE axis 3 as in `_s3d` files) in the first image HDU, with its pixel
/// scale in PIXELSCL (arcsec, the WebbPSF/STPSF keyword). PSFs between planes are mixed linearly and
/// resampled bicubically to the fused grid. A NIRSpec PSF must not include the spaxel's own integration,
/// which the forward model adds.
public struct UserPSFCube: Sendable {
    let planes: [[Float]]
    let width: Int
    let height: Int
    let wavelengths: [Double]
    let scale: Double

    public init(path: String) throws {
        let hdus: [HDU]
        do { hdus = try FITSFile(path: path).readAll(verifyChecksums: false) } catch { throw FusionError("\(path): \(error)") }
        guard let hdu = hdus.first(where: { $0.image != nil }), let image = hdu.image?.floats() else {
            throw FusionError("\(path): no PSF image")
        }
        guard let scale = hdu.header.real("PIXELSCL") ?? hdus[0].header.real("PIXELSCL"), scale > 0 else {
            throw FusionError("\(path): no PIXELSCL (PSF pixel scale in arcsec)")
        }
        let axes = image.axes
        guard axes.count == 2 || axes.count == 3, axes[0] >= 5, axes[1] >= 5 else {
            throw FusionError("\(path): PSF must be a 2-D image or a 3-D cube")
        }
        width = axes[0]; height = axes[1]
        let count = axes.count == 3 ? axes[2] : 1
        planes = (0..<count).map { Array(image.pixels[($0 * axes[0] * axes[1])..<(($0 + 1) * axes[0] * axes[1])]) }
        if count > 1 {
            do { wavelengths = try SpectralAxis.wavelengths(science: hdu.header, hdus: hdus, planes: count) } catch {
                throw FusionError("\(path): a PSF cube needs a wavelength axis (\(error))")
            }
        } else {
            wavelengths = [0]
        }
        self.scale = scale
    }

    /// The PSF at `wavelength` on a side×side grid of `pixelScale` pixels, centred, sum 1.
    func psf(wavelength: Double, pixelScale: Double, side: Int) -> [Double] {
        var lower = 0, t = 0.0
        if planes.count > 1 {
            let position = wavelengths.lastIndex { $0 <= wavelength } ?? 0
            lower = min(position, planes.count - 2)
            t = min(max((wavelength - wavelengths[lower]) / (wavelengths[lower + 1] - wavelengths[lower]), 0), 1)
        }
        let mixed: [Float] =
            planes.count > 1
            ? (0..<(width * height)).map { Float((1 - t) * Double(planes[lower][$0]) + t * Double(planes[lower + 1][$0])) }
            : planes[0]
        let cx = Double(width - 1) / 2, cy = Double(height - 1) / 2, half = side / 2
        var out = [Double](repeating: 0, count: side * side)
        for j in 0..<side {
            for i in 0..<side {
                let v = Bicubic.sample(
                    mixed, width: width, height: height, x: cx + Double(i - half) * pixelScale / scale,
                    y: cy + Double(j - half) * pixelScale / scale)
                out[j * side + i] = v.isFinite ? max(v, 0) : 0
            }
        }
        let total = out.reduce(0, +)
        return total > 0 ? out.map { $0 / total } : out
    }
}

/// Where the solver takes its PSFs from: the user's cube for an instrument when given, the physical-optics
/// library otherwise.
public struct PSFProvider: Sendable {
    public let library: PSFLibrary
    public var nircam: UserPSFCube?
    public var nirspec: UserPSFCube?

    public init(library: PSFLibrary, nircam: UserPSFCube? = nil, nirspec: UserPSFCube? = nil) {
        self.library = library
        self.nircam = nircam
        self.nirspec = nirspec
    }

    func psf(_ instrument: FusionInstrument, wavelength: Double, pixelScale: Double, side: Int) -> [Double] {
        if let user = instrument == .nircam ? nircam : nirspec {
            return user.psf(wavelength: wavelength, pixelScale: pixelScale, side: side)
        }
        return library.psf(instrument, wavelength: wavelength, pixelScale: pixelScale, side: side)
    }
}
