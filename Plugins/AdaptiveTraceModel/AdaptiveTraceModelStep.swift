import FITS
import Foundation
import Pipeline

/// The `atm` step: adaptive trace model and oversampling of NIRSpec IFU and MIRI MRS `_cal` files. A thin layer
/// over `AdaptiveTraceModel.run`: it reads the arrays and geometry, chooses the mode, and writes `<stem>_atm.fits`.
public struct AdaptiveTraceModelStep: Step {
    public init() {}

    public var info: StepInfo {
        StepInfo(
            name: "atm", summary: "Adaptive trace model: oversample IFU slices along the slit without resampling artifacts",
            accepts: "NIRSpec NRS_IFU and MIRI MIR_MRS _cal files", productSuffix: "atm", statusKeyword: "S_TRCMOD",
            parameters: [
                ParameterSpec("oversample", default: .integer(3), help: "oversampling factor N along the slice (1: attach the trace model only)",
                              range: 1...10),
                ParameterSpec("fit_threshold", default: .real(10), help: "sigma a slice's peak must exceed to be modelled (<= 0: all)"),
                ParameterSpec("slope_limit", default: .real(0.1), help: "normalised-profile slope marking a compact source (<= 0: spline everywhere)"),
                ParameterSpec("psf_optimal", default: .logical(false), help: "isolated point source: spline everywhere, no residual term"),
                ParameterSpec("save_intermediate", default: .logical(false),
                              help: "also write the terms of the combination: <stem>_spline_full, _spline_used and (N > 1) "
                                  + "_linear_interp, _spline_residual"),
            ],
            // Output planes grow with the oversampling: at the default N = 3 a 134 MB IFU cal file peaks near 700 MB.
            memoryPerInputByte: 6)
    }

    public func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        var products: [Product] = []
        for exposure in inputs { products += try process(exposure, parameters: parameters, context: context) }
        return products
    }

    func process(_ exposure: Exposure, parameters: ParameterValues, context: StepContext) throws -> [Product] {
        let file = exposure.name.fileName
        let kind = exposure.kind
        let isMIRI = kind.instrument == "MIRI" && kind.exposureType == "MIR_MRS"
        guard isMIRI || (kind.instrument == "NIRSPEC" && kind.exposureType == "NRS_IFU") else {
            throw ExposureError("\(file): atm handles NIRSpec NRS_IFU and MIRI MIR_MRS files, not \(kind.instrument) \(kind.exposureType)")
        }
        let sci = try exposure.floatImage("SCI")
        guard sci.axes.count == 2 else { throw ExposureError("\(file): SCI is \(sci.axes.count)-D; atm needs one 2-D image") }
        let settings = TraceModelSettings(
            oversample: parameters.integer("oversample"), fitThreshold: parameters.real("fit_threshold"),
            slopeLimit: parameters.real("slope_limit"), psfOptimal: parameters.logical("psf_optimal"),
            mode: isMIRI ? .miriMRS : kind.grating == "PRISM" ? .nirspecPrism(reversedColumns: kind.detector == "NRS2")
                : .nirspecGrating(reversedColumns: kind.detector == "NRS2"),
            saveIntermediate: parameters.logical("save_intermediate"))
        let input = try TraceModelInputReader.read(exposure, dispersionAlongY: isMIRI)
        context.progress(0.1, "modelling \(file)")
        let output = AdaptiveTraceModel.run(input, settings: settings)
        context.logger.info("\(file): modelled regions \(output.modelledRegions.map(String.init).joined(separator: ","))")
        return [ProductAssembler.product(from: exposure, output: output, settings: settings, dispersionAlongY: isMIRI)]
            + ProductAssembler.intermediates(from: exposure, output: output, settings: settings, dispersionAlongY: isMIRI)
    }
}
