import Foundation
import Optics
import Synchronization

/// The instruments whose PSFs the fusion models.
public enum FusionInstrument: String, Sendable {
    case nircam, nirspec
}

/// Physical-optics PSFs (Fraunhofer transform of the JWST pupil, pixel integration, jitter; NIRSpec adds its
/// IFU blur), computed once per instrument, wavelength, pixel scale and size, and kept for the life of the step.
public final class PSFLibrary: Sendable {
    private let cache = Mutex<[String: [Double]]>([:])

    public init() {}

    /// The PSF image (side×side, centred, sum 1) integrated over `pixelScale` pixels.
    public func psf(_ instrument: FusionInstrument, wavelength: Double, pixelScale: Double, side: Int) -> [Double] {
        let key = "\(instrument.rawValue) \(String(format: "%.5f %.6f", wavelength, pixelScale)) \(side)"
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let settings = FraunhoferPSF.Settings(
            pixelScale: pixelScale, size: side, oversample: 3, jitter: InstrumentOptics.jitter,
            instrumentBlur: instrument == .nirspec ? InstrumentOptics.nirspecIFUBlur : 0)
        let image = FraunhoferPSF.image(wavelength: wavelength, settings: settings)
        cache.withLock { $0[key] = image }
        return image
    }

    /// Number of PSFs held.
    public var count: Int { cache.withLock { $0.count } }
}
