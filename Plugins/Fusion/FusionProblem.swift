/// A fusion problem as plain arrays (no files): the NIRSpec cube on its spaxel grid, the NIRCam images already
/// on the fused grid (three times finer, fine pixel 3i+1 centred on spaxel i), noise levels and responses.
public struct FusionProblem: Sendable {
    /// Cube size in spaxels.
    public var width: Int
    public var height: Int
    /// Channel wavelengths, µm, increasing.
    public var wavelengths: [Double]
    /// NIRSpec cube, channel-major: `cube[l * width * height + y * width + x]`, finite everywhere.
    public var cube: [Double]
    /// Noise sigma per channel (same unit as the cube).
    public var cubeSigma: [Double]
    /// NIRCam images on the fused grid (3·width × 3·height), one per filter used in the fit.
    public var images: [[Double]]
    public var imageSigma: [Double]
    /// The images' noise as resampling left it, one per image; empty when it is white with `imageSigma` (the
    /// solve's weights assume that either way; only the propagated error uses this).
    var imageNoise: [ResampledNoise] = []
    /// Uncalibrated NIRCam response rows (T(λ)/λ at the cube wavelengths), one per image.
    public var responses: [[Double]]
    /// Images that are not fitted but predicted from the result (held-out filters), with their responses.
    public var heldOutImages: [[Double]] = []
    public var heldOutResponses: [[Double]] = []
    /// Spaxel size, arcsec (the fused pixel is a third of it).
    public var spaxelScale: Double

    public init(
        width: Int, height: Int, wavelengths: [Double], cube: [Double], cubeSigma: [Double], images: [[Double]],
        imageSigma: [Double], responses: [[Double]], spaxelScale: Double
    ) {
        self.width = width
        self.height = height
        self.wavelengths = wavelengths
        self.cube = cube
        self.cubeSigma = cubeSigma
        self.images = images
        self.imageSigma = imageSigma
        self.responses = responses
        self.spaxelScale = spaxelScale
    }

    public var fineWidth: Int { 3 * width }
    public var fineHeight: Int { 3 * height }
}

/// How to solve: everything automatic by default (paper, Appendix B), each part overridable.
public struct FusionSettings: Sendable, Equatable {
    /// Subspace rank; 0 chooses it from the noise level.
    public var rank = 0
    public var maxRank = 8
    /// Multiplies the NIRSpec data term relative to the noise-derived weighting (γ = σm²/σh²).
    public var gammaScale = 1.0
    /// Multiplies the noise-derived Sobolev weights μ.
    public var muScale = 1.0
    /// Mirror padding around the field, spaxels (circular convolution wraps inside it).
    public var padding = 4
    /// Wavelength nodes of the PSF models (the PSFs between nodes are mixed linearly).
    public var nircamNodes = 8
    public var nirspecNodes = 4
    /// The data-dependent choices of an earlier solve, reused instead of estimated: with them fixed the estimate
    /// is linear in the data, which is what its propagated error describes (tests compare it with noise realisations).
    var frozen: FusionChoices?

    public init() {}
}

/// The fused cube and what was chosen on the way.
public struct FusionResult: Sendable {
    /// Fused cube, channel-major on the fused grid (3·width × 3·height per channel).
    public var cube: [Float]
    /// Standard deviation of the fused cube under the solver's noise model, per channel and sub-pixel phase:
    /// index channel · 9 + 3 · (fine row mod 3) + (fine column mod 3). See `BlockNoise`.
    public var sigma: [Double]
    /// The subspace, Sobolev weights and calibration this solve chose.
    var choices: FusionChoices
    public var rank: Int
    /// Fraction of the centred cube's variance the subspace keeps.
    public var explainedVariance: Double
    /// Effective γ = median σm² / median σh² and the Sobolev weight of each component.
    public var gamma: Double
    public var mu: [Double]
    /// Cross-calibration factor per fitted image (paper eq. 7), then per held-out image.
    public var calibration: [Double]
    public var heldOutCalibration: [Double]
    /// Each fitted (then held-out) image as the fused cube predicts it through the NIRCam forward model.
    public var modelImages: [[Double]]
    public var heldOutModelImages: [[Double]]
}

/// What a solve derives from the data beyond the linear estimate: the spectral subspace, the Sobolev weights and
/// the cross-calibration factor of every fitted image.
struct FusionChoices: Sendable, Equatable {
    var subspace: Subspace
    var mu: [Double]
    var calibration: [Double]
}
