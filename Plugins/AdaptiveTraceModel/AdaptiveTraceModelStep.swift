import FITS
import Foundation
import Pipeline

/// The `atm` step: adaptive trace model and oversampling of NIRSpec IFU and MIRI MRS `_cal` files. A thin layer
/// over `AdaptiveTraceModel.run`: it reads the arrays and geometry, chooses the mode, and writes `<stem>_atm.fits`.
public struct AdaptiveTraceModelStep: TypedStep {
    public init() {}

    public let manifest = StepManifest(
        name: "atm", summary: "Adaptive trace model: oversample IFU slices along the slit without resampling artifacts",
        routes: [
            Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU"], suffixes: ["cal"]),
            Route(instruments: ["MIRI"], exposureTypes: ["MIR_MRS"], suffixes: ["cal"]),
        ],
        productSuffix: "atm", statusKeyword: "S_TRCMOD",
        // Output planes grow with the oversampling: at the default N = 3 a 134 MB IFU cal file peaks near 700 MB.
        memoryPerInputByte: 6,
        options: AdaptiveTraceModelOptions.self,
        sheet: .traceModel)

    public func run(_ inputs: [Exposure], options: AdaptiveTraceModelOptions, context: StepContext) async throws -> [Product] {
        var products: [Product] = []
        for exposure in inputs { products += try process(exposure, options: options, context: context) }
        return products
    }

    func process(_ exposure: Exposure, options: AdaptiveTraceModelOptions, context: StepContext) throws -> [Product] {
        let file = exposure.name.fileName
        let kind = exposure.kind
        guard manifest.routes.contains(where: { $0.instruments.contains(kind.instrument) && $0.exposureTypes.contains(kind.exposureType) })
        else {
            throw StepFailure(
                .unsupported,
                "\(file): atm handles \(manifest.routes.map(\.description).joined(separator: " and ")) files, "
                    + "not \(kind.instrument) \(kind.exposureType)")
        }
        let isMIRI = kind.instrument == "MIRI"
        let sci = try exposure.floatImage("SCI")
        guard sci.axes.count == 2 else { throw ExposureError("\(file): SCI is \(sci.axes.count)-D; atm needs one 2-D image") }
        let settings = options.settings(
            mode: isMIRI
                ? .miriMRS
                : kind.grating == "PRISM"
                    ? .nirspecPrism(reversedColumns: kind.detector == "NRS2")
                    : .nirspecGrating(reversedColumns: kind.detector == "NRS2"))
        let input = try TraceModelInputReader.read(exposure, dispersionAlongY: isMIRI)
        context.progress(0.1, "modelling \(file)")
        let output = AdaptiveTraceModel.run(input, settings: settings)
        context.logger.info("\(file): modelled regions \(output.modelledRegions.map(String.init).joined(separator: ","))")
        return [ProductAssembler.product(from: exposure, output: output, settings: settings, dispersionAlongY: isMIRI)]
            + ProductAssembler.intermediates(from: exposure, output: output, settings: settings, dispersionAlongY: isMIRI)
    }
}
