import FITS
import Pipeline

/// The `syfu` step: fuses a NIRSpec IFU `_s3d` cube with overlapping NIRCam `_i2d` images into one cube with
/// NIRCam's spatial sampling (a third of a spaxel) and NIRSpec's spectral sampling (Marquis et al. 2026).
public struct SyFuStep: TypedStep {
    private let psfs = PSFLibrary()

    public init() {}

    public let manifest = StepManifest(
        name: "syfu",
        summary: "SyFu fusion of one NIRSpec IFU cube with the NIRCam images overlapping it, in filters inside its range "
            + "(spatial resolution of NIRCam, spectra of NIRSpec)",
        routes: [
            Route(instruments: ["NIRCAM"], exposureTypes: ["NRC_IMAGE"], suffixes: ["i2d"]),
            Route(instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU"], suffixes: ["s3d"]),
        ],
        productSuffix: "fused_s3d", statusKeyword: "S_SYFU",
        // The fused grid is 9 times the cube's spaxels, held with its spectra in double-precision FFTs.
        memoryPerInputByte: 16,
        grouping: FusionGrouping(),
        options: SyFuOptions.self,
        sheet: .cube)

    public func run(_ inputs: [Exposure], options: SyFuOptions, context: StepContext) async throws -> [Product] {
        let provider = PSFProvider(
            library: psfs, nircam: options.nircamPSF.isEmpty ? nil : try UserPSFCube(path: options.nircamPSF),
            nirspec: options.nirspecPSF.isEmpty ? nil : try UserPSFCube(path: options.nirspecPSF))
        var pipeline = FusionPipeline(
            settings: options.fusion, heldOutFilter: options.holdout, psfs: provider,
            statusKeyword: manifest.statusKeyword, refine: options.refine)
        pipeline.field = (options.fieldX, options.fieldY, options.fieldSize)
        return [try pipeline.run(inputs, logger: context.logger, progress: context.progress).product]
    }
}

/// Everything the step refuses is about its input: the same files would fail the same way.
extension FusionError: ClassifiedFailure {
    public var failureKind: FailureKind { .invalidInput }
}
