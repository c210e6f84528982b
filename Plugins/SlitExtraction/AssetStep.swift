import FITS
import Foundation
import Numerics
import Pipeline

/// The `asset` step: joint spectrum + chromatic-PSF extraction of the dithers of one NIRSpec fixed-slit or
/// MIRI LRS observation, every slit of a multi-slit file on its own, written as `<group>_x1d.fits` in jwst 3.0's
/// x1d layout (one EXTRACT1D per slit).
public struct AssetStep: TypedStep {
    public init() {}

    /// The slit modes extracted: what routing sends here and what the grouping accepts.
    private static let routes = [
        Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_FIXEDSLIT", "NRS_BRIGHTOBJ", "NRS_MSASPEC"], suffixes: ["cal"]),
        Route(instruments: ["MIRI"], exposureTypes: ["MIR_LRS-FIXEDSLIT"], suffixes: ["cal"]),
        // MOS slitlet cut-outs saved after photom (msaexp's `_phot.<slit>.<source>` files): cal-level pixels of one slitlet.
        Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_MSASPEC"], suffixes: ["phot"]),
    ]

    public let manifest = StepManifest(
        name: "asset",
        summary:
            "ASSET-style slit extraction: spectrum, chromatic PSF, dither offsets and background fitted jointly, every slit of the dithers or nods of one observation",
        routes: Self.routes,
        productSuffix: "x1d",
        statusKeyword: "S_EXTR1D",
        // The pixel table and banded system: 15 MB beyond the process for 1.2 MB of simulated fixed-slit dithers.
        memoryPerInputByte: 16,
        grouping: SlitGrouping(accepting: Self.routes),
        options: AssetOptions.self,
        sheet: .spectrum)

    public func run(_ inputs: [Exposure], options assetOptions: AssetOptions, context: StepContext) async throws -> [Product] {
        guard let first = inputs.first else { throw SlitExtractionError("no input files") }
        try Self.checkCompatible(inputs)
        let options = assetOptions.resolved
        context.progress(0.1, "extracting \(inputs.count) dither(s)")
        let (extracted, skipped) = try MultiSlitExtraction.extract(inputs, options: options, context: context)
        let name = Level3Name.observation(first.kind, suffix: "x1d")
        let hdus = try X1DProduct.hdus(extracted, skipped: skipped, options: options, saveModel: assetOptions.saveModel)
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
        throw SlitExtractionError(
            "inputs are of different gratings, filters, slits or detectors and cannot be extracted together: \(listing)")
    }
}

/// Everything the step refuses is about its input: the same files would fail the same way.
extension SlitExtractionError: ClassifiedFailure {
    public var failureKind: FailureKind { .invalidInput }
}
