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
    /// Relative change of the spectrum (L1) below which the alternation stops.
    public var tolerance: Double = 1e-5

    public init() {}
}
