import FITS
import Foundation
import Numerics
import Pipeline

/// The `asset` step: joint spectrum + chromatic-PSF extraction of the dithers of one NIRSpec fixed-slit or
/// MIRI LRS observation, every slit of a multi-slit file on its own, written as `<group>_x1d.fits` in jwst 3.0's
/// x1d layout (one EXTRACT1D per slit).
public struct AssetStep: Step {
    public init() {}

    public let info = StepInfo(
        name: "asset",
        summary: "ASSET-style slit extraction: spectrum, chromatic PSF, dither offsets and background fitted jointly",
        accepts: "NIRSpec NRS_FIXEDSLIT / NRS_BRIGHTOBJ / NRS_MSASPEC and MIRI MIR_LRS-FIXEDSLIT _cal files, all dithers of one observation together",
        productSuffix: "x1d",
        statusKeyword: "S_EXTR1D",
        parameters: [
            ParameterSpec("psf", default: .text("gaussian"), help: "PSF model across the slit (sigma^2 = a lambda^2 + b)", choices: ["gaussian", "moffat"]),
            ParameterSpec("smoothing", default: .text("gcv"), help: "how to choose the spectrum's smoothness weight",
                          choices: ["gcv", "discrepancy", "fixed"]),
            ParameterSpec("smoothing_weight", default: .real(1e-3), help: "smoothness weight relative to the data term (smoothing=fixed)", range: 0...1e6),
            ParameterSpec("clip_sigma", default: .real(5), help: "reject pixels whose normalised residual exceeds this many robust sigmas (0: off)", range: 0...100),
            ParameterSpec("max_iterations", default: .integer(12), help: "alternating iterations at most", range: 1...200),
            ParameterSpec("fit_offsets", default: .logical(true), help: "fit each dither's trace offset and tilt"),
            ParameterSpec("fit_frame_scale", default: .logical(true), help: "fit each dither's flux scale"),
            ParameterSpec("fit_background", default: .logical(true), help: "fit a background shared by the dithers (linear across the slit per column)"),
            ParameterSpec("box_half_width", default: .real(3), help: "half-height of the comparison box extraction (px)", range: 0.5...50),
            ParameterSpec("save_model", default: .logical(false), help: "also write the model and pixel DQ (OUTLIER on rejected pixels) of every dither"),
        ],
        // The pixel table and banded system: 15 MB beyond the process for 1.2 MB of simulated fixed-slit dithers.
        memoryPerInputByte: 16)

    public var grouping: (any GroupingRule)? { SlitGrouping() }

    public func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        guard let first = inputs.first else { throw SlitExtractionError("no input files") }
        try Self.checkCompatible(inputs)
        var options = ExtractionOptions()
        options.psfShape = ChromaticPSF.Shape(rawValue: parameters.text("psf")) ?? .gaussian
        switch parameters.text("smoothing") {
        case "discrepancy": options.smoothing = .discrepancy
        case "fixed": options.smoothing = .fixed(parameters.real("smoothing_weight"))
        default: options.smoothing = .gcv
        }
        options.clipSigma = parameters.real("clip_sigma")
        options.maxIterations = parameters.integer("max_iterations")
        options.fitOffsets = parameters.logical("fit_offsets")
        options.fitFrameScale = parameters.logical("fit_frame_scale")
        options.fitBackground = parameters.logical("fit_background")
        options.boxHalfWidth = parameters.real("box_half_width")
        context.progress(0.1, "extracting \(inputs.count) dither(s)")
        let (extracted, skipped) = try MultiSlitExtraction.extract(inputs, options: options, context: context)
        let name = Self.productName(first.kind)
        let hdus = try X1DProduct.hdus(extracted, skipped: skipped, options: options, saveModel: parameters.logical("save_model"))
        return [Product(fileName: name, hdus: hdus, program: first.kind.program.isEmpty ? "unknown" : first.kind.program)]
    }

    /// Refuses inputs that are not the same instrument, detector, optical elements and slit, naming each file's setup.
    static func checkCompatible(_ inputs: [Exposure]) throws(SlitExtractionError) {
        func setup(_ k: ExposureKind) -> String {
            [k.instrument, k.detector, k.opticalElements, k.fixedSlit].filter { !$0.isEmpty }.joined(separator: "/")
        }
        let setups = inputs.map { setup($0.kind) }
        guard Set(setups).count > 1 else { return }
        let listing = zip(inputs, setups).map { "\($0.name.fileName) (\($1))" }.joined(separator: ", ")
        throw SlitExtractionError("inputs are of different gratings, filters, slits or detectors and cannot be extracted together: \(listing)")
    }

    /// `jw<program>-o<obs>_t001_<instrument>_<optical elements>[-<slit>]_x1d.fits`. The target number is not in the
    /// exposure headers (the association assigns it), so it is always t001.
    static func productName(_ k: ExposureKind) -> String {
        let program = k.program.isEmpty ? "00000" : k.program
        let observation = k.observation.isEmpty ? "001" : k.observation
        var elements = k.opticalElements.isEmpty ? "unknown" : k.opticalElements
        if !k.fixedSlit.isEmpty && k.fixedSlit != "NONE" { elements += "-\(k.fixedSlit.lowercased())" }
        return "jw\(program)-o\(observation)_t001_\(k.instrument.lowercased())_\(elements)_x1d.fits"
    }
}
