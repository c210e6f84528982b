import FITS
import Pipeline

/// The `syfu` step: fuses a NIRSpec IFU `_s3d` cube with overlapping NIRCam `_i2d` images into one cube with
/// NIRCam's spatial sampling (a third of a spaxel) and NIRSpec's spectral sampling (Marquis et al. 2026).
public struct SyFuStep: Step {
    private let psfs = PSFLibrary()

    public init() {}

    public var info: StepInfo {
        StepInfo(name: "syfu", summary: "SyFu fusion of NIRSpec IFU cubes with NIRCam images (spatial resolution of NIRCam, spectra of NIRSpec)",
                 accepts: "one NIRSPEC NRS_IFU _s3d cube + NIRCAM NRC_IMAGE _i2d images overlapping it, in filters inside its range",
                 productSuffix: "fused_s3d", statusKeyword: "S_SYFU", parameters: [
                     ParameterSpec("rank", default: .integer(0), help: "subspace rank; 0 chooses it from the noise level", range: 0...30),
                     ParameterSpec("gamma_scale", default: .real(1), help: "weight of the NIRSpec term relative to the noise-derived gamma", range: 1e-4...1e4),
                     ParameterSpec("mu_scale", default: .real(1), help: "weight of the Sobolev regularisation relative to the noise-derived mu", range: 1e-4...1e4),
                     ParameterSpec("padding", default: .integer(4), help: "mirror padding around the field, spaxels", range: 1...32),
                     ParameterSpec("refine", default: .logical(false), help: "refine the WCS registration by phase correlation (always on for TARGTYPE = MOVING)"),
                     ParameterSpec("fov_size", default: .integer(0), help: "side of the fused field in spaxels; 0 fuses the whole cube", range: 0...1000),
                     ParameterSpec("fov_x", default: .integer(-1), help: "spaxel column of the field's centre; -1 for the cube's centre", range: -1...10_000),
                     ParameterSpec("fov_y", default: .integer(-1), help: "spaxel row of the field's centre; -1 for the cube's centre", range: -1...10_000),
                     ParameterSpec("nircam_psf", default: .text(""), help: "FITS PSF image or cube (PIXELSCL, WAVE axis) replacing the physical NIRCam PSF"),
                     ParameterSpec("nirspec_psf", default: .text(""), help: "FITS PSF image or cube replacing the physical NIRSpec IFU PSF (without the spaxel)"),
                     ParameterSpec("holdout", default: .text(""), help: "NIRCam filter to leave out of the fit and predict (quality check)"),
                 ],
                 // The fused grid is 9 times the cube's spaxels, held with its spectra in double-precision FFTs.
                 memoryPerInputByte: 16)
    }

    public var grouping: (any GroupingRule)? { FusionGrouping() }

    public func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        var settings = FusionSettings()
        settings.rank = parameters.integer("rank")
        settings.gammaScale = parameters.real("gamma_scale")
        settings.muScale = parameters.real("mu_scale")
        settings.padding = parameters.integer("padding")
        let nircam = parameters.text("nircam_psf"), nirspec = parameters.text("nirspec_psf")
        let provider = PSFProvider(library: psfs, nircam: nircam.isEmpty ? nil : try UserPSFCube(path: nircam),
                                   nirspec: nirspec.isEmpty ? nil : try UserPSFCube(path: nirspec))
        var pipeline = FusionPipeline(settings: settings, heldOutFilter: parameters.text("holdout"), psfs: provider, statusKeyword: info.statusKeyword,
                                      refine: parameters.logical("refine"))
        pipeline.field = (parameters.integer("fov_x"), parameters.integer("fov_y"), parameters.integer("fov_size"))
        return [try pipeline.run(inputs, logger: context.logger, progress: context.progress).product]
    }
}
