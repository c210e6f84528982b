import FITS
import Foundation
import Logging
import Pipeline

/// The `nsclean` step: removes 1/f banding and picture-frame noise from NIRSpec `_rate` / `_rateints` files
/// (every spectroscopic mode, full frame and subarrays) and writes `<stem>_nsclean.fits`.
///
/// A thin interface over `FlickerCleaner`: parameters, input checks, and the product layout (the input's
/// extensions and headers with SCI cleaned; ERR, DQ, VAR_* and ASDF untouched; optional MASK and BACKGROUND).
public struct NSCleanStep: Step {
    public init() {}

    public var info: StepInfo {
        StepInfo(
            name: "nsclean",
            summary: "Remove 1/f banding and picture-frame noise from NIRSpec rate files (NSClean, Rauscher 2023)",
            accepts: "NIRSpec _rate / _rateints of NRS_IFU, NRS_FIXEDSLIT, NRS_MSASPEC, NRS_BRIGHTOBJ; full frame and subarrays",
            productSuffix: "nsclean",
            statusKeyword: "S_CLNFNS",
            formerStatusKeywords: ["S_NSCLEN"],
            parameters: [
                ParameterSpec("n_sigma", default: .real(2.0), help: "automatic mask: pixels above the dark level + n_sigma sigma are signal (0 = no clipping)",
                              range: 0...100),
                ParameterSpec("user_mask", default: .text(""), help: "FITS file with the background mask (1 = background) instead of the automatic one"),
                ParameterSpec("save_mask", default: .logical(false), help: "add the mask used as a MASK extension (uint8, 1 = background)"),
                ParameterSpec("save_background", default: .logical(false), help: "add the subtracted model as a BACKGROUND extension"),
                ParameterSpec("mask_grow", default: .integer(1), help: "automatic mask: grow signal regions by this many pixels", range: 0...50),
                ParameterSpec("mask_smoothing", default: .integer(7),
                              help: "automatic mask: average over this many pixels along the dispersion before clipping (1 = none)", range: 1...101),
                ParameterSpec("n_frequencies", default: .integer(9), help: "Fourier frequencies fitted on a 2048-px line (scaled for subarrays)",
                              range: 1...64),
                ParameterSpec("weight_sigma", default: .real(32), help: "sigma (px) of the Gaussian measuring the background-sample density",
                              range: 1...1024),
                ParameterSpec("line_clip_sigma", default: .real(3), help: "drop background samples beyond this many MAD-sigmas of their line (0 = keep all)",
                              range: 0...100),
            ],
            // 279 MB peak for an 84 MB full-frame rate file, 35 MB of which is the process itself.
            memoryPerInputByte: 4,
            // ERR and the variances pass through untouched: left encoded, copied to the product byte for byte.
            reads: ["SCI", "DQ"]
        )
    }

    public func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        guard inputs.count == 1, let input = inputs.first else { throw NSCleanError("nsclean takes one file at a time, got \(inputs.count)") }
        let file = input.name.fileName
        let science = try input.floatImage("SCI")
        let quality: Image<UInt32>? = input.hdu("DQ") == nil ? nil : try input.unsignedImage("DQ")
        let maskPath = parameters.text("user_mask")
        let userMask = maskPath.isEmpty ? nil : try Self.loadMask(maskPath)
        // NIRSpec reads along DMS y (|FASTAXIS| = 2); honour the header when it says otherwise.
        let fastAxis = input.primaryHeader.integer("FASTAXIS") ?? input.hdu("SCI")?.header.integer("FASTAXIS") ?? 2
        let options = CleaningOptions(
            mask: MaskOptions(nSigma: parameters.real("n_sigma"), grow: parameters.integer("mask_grow"),
                              smoothing: parameters.integer("mask_smoothing")),
            frequencies: parameters.integer("n_frequencies"), weightSigma: parameters.real("weight_sigma"),
            lineClipSigma: parameters.real("line_clip_sigma"), linesAlongY: abs(fastAxis) != 1)
        let result: CleaningResult
        do {
            result = try FlickerCleaner.clean(science: science, quality: quality, userMask: userMask, options: options)
        } catch {
            throw NSCleanError("\(file): \(error.description)")
        }
        if result.linesFitted + result.linesReduced == 0 {
            context.logger.warning("\(file): no background pixel to fit; SCI left unchanged (S_CLNFNS = SKIPPED)")
        }
        let hdus = NSCleanProduct.hdus(of: input, result: result, saveMask: parameters.logical("save_mask"),
                                       saveBackground: parameters.logical("save_background"), userMask: maskPath)
        return [Product(fileName: input.name.product(suffix: info.productSuffix), hdus: hdus, program: input.kind.program)]
    }

    public func outline(_ inputs: [Exposure], parameters: ParameterValues) -> [Product] {
        guard inputs.count == 1, let input = inputs.first, let science = try? input.floatImage("SCI") else { return [] }
        let hdus = NSCleanProduct.outline(of: input, science: science, saveMask: parameters.logical("save_mask"),
                                          saveBackground: parameters.logical("save_background"), userMask: parameters.text("user_mask"))
        return [Product(fileName: input.name.product(suffix: info.productSuffix), hdus: hdus, program: input.kind.program)]
    }

    /// Reads a mask image (the first HDU holding an image): non-zero = background.
    static func loadMask(_ path: String) throws -> Image<UInt8> {
        guard FileManager.default.isReadableFile(atPath: path) else { throw NSCleanError("user_mask \(path): cannot be read") }
        let image: Image<Float>
        do {
            let file = try FITSFile(path: path)
            let count = try file.hduCount()
            var found: Int?
            for index in 0..<count where found == nil {
                if !(try file.imageAxes(at: index)).isEmpty { found = index }
            }
            guard let found else { throw NSCleanError("user_mask \(path): no image in the file") }
            image = try file.readImage(at: found, as: Float.self)
        } catch let error as FITSError {
            throw NSCleanError("user_mask \(path): \(error.message)")
        }
        return Image(axes: image.axes, pixels: image.pixels.map { $0.isFinite && $0 != 0 ? 1 : 0 })
    }
}
