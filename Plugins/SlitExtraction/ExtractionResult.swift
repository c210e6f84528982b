import Numerics

/// What an extraction produced: the spectrum on the column grid with uncertainties, the box extraction beside
/// it, and every fitted nuisance parameter. Fluxes are in the inputs' units integrated across the slit (MJy for
/// NIRSpec point sources; MJy/sr × pixels for surface-brightness units — the step converts to Jy).
public struct ExtractionResult: Sendable {
    public var wavelength: [Double]
    public var flux: [Double]
    public var fluxError: [Double]
    public var boxFlux: [Double]
    public var boxFluxError: [Double]
    /// Usable pixels within 3σ of the trace per sample, over all dithers.
    public var pixelCount: [Int]
    /// True where no pixel constrains the sample (its value comes from the smoothness alone).
    public var unconstrained: [Bool]
    public var psf: ChromaticPSF
    /// The dispersion column (0-based, spectrograph order) each sample belongs to.
    public var sampleColumns: [Int]
    /// Fitted background at the trace per sample, averaged over the dithers (inputs' units per pixel); zero when
    /// no background was fitted.
    public var backgroundAtTrace: [Double]
    /// Fitted trace centre (0-based cross-slit pixels) of every dither at every sample.
    public var trace: [[Double]]
    /// Trace centre of every dither at `referenceColumn` (0-based cross-slit pixels) and its tilt correction.
    public var traceCentres: [Double]
    public var traceTilts: [Double]
    public var referenceColumn: Double
    public var frameScales: [Double]
    /// Pixels each dither lost to the outlier rejection, and the masks (spectrograph order) of those pixels.
    public var rejectedCounts: [Int]
    public var rejected: [[Bool]]
    /// Noiseless model of every dither (spectrograph order), for the optional model extension.
    public var model: [[Double]]
    public var smoothingWeight: Double
    public var smoothingRule: String
    public var iterations: Int
    /// Weighted residual per degree of freedom.
    public var reducedChiSquare: Double
    /// True when the traces were first placed from the headers' nod pattern rather than found on each dither.
    public var placedFromHeaders: Bool
}
