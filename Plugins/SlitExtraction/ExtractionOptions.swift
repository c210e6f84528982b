import Numerics

/// Settings of one extraction (the step's parameters, as plain values).
public struct ExtractionOptions: Sendable {
    public var psfShape: ChromaticPSF.Shape = .gaussian
    public var smoothing: SmoothingChoice = .gcv
    /// Rejection threshold on normalised residuals (in robust sigmas); 0 disables rejection.
    public var clipSigma: Double = 5
    public var maxIterations: Int = 12
    public var fitOffsets = true
    public var fitFrameScale = true
    public var fitBackground = true
    /// Half-height of the box-extraction aperture in pixels.
    public var boxHalfWidth: Double = 3
    /// The alternation stops when no sample of the spectrum moves by more than this fraction of its uncertainty.
    public var tolerance: Double = 0.01
    /// How each dither's trace is first placed.
    public var tracePlacement = TracePlacement.search

    public init() {}
}
