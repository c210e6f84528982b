import FITS
import Pipeline

/// One simulated exposure and its noiseless truth, in memory: what tests and benchmarks use without files,
/// and what `webbflow simulate` writes (`<name>.fits` plus `<name>_truth.fits`).
public struct SimulatedFile: Sendable {
    /// The exposure as JWST would deliver it.
    public var exposure: Exposure
    /// The truth: a primary HDU plus named images (noiseless signal, noise components, geometry…); nil for
    /// files that carry no science truth (the decoys of a program download).
    public var truth: [HDU]?
    /// Sub-folder the file belongs in (MAST's `JWST/<obs_id>`), relative to the output folder; empty = flat.
    public var folder: String

    public init(exposure: Exposure, truth: [HDU]?, folder: String = "") {
        self.exposure = exposure
        self.truth = truth
        self.folder = folder
    }

    public var fileName: String { exposure.name.fileName }

    /// Name of the truth file: `<name without .fits>_truth.fits`.
    public var truthFileName: String {
        let base = fileName.hasSuffix(".fits") ? String(fileName.dropLast(5)) : fileName
        return "\(base)_truth.fits"
    }

    /// The named truth image as floats.
    public func truthImage(_ name: String) -> Image<Float>? { truth?.hdu(named: name)?.image?.floats() }
}
