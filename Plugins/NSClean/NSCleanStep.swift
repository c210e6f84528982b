import FITS
import Foundation
import Logging
import Pipeline
import Platform

/// The `nsclean` step: removes 1/f banding and picture-frame noise from NIRSpec `_rate` / `_rateints` files
/// (every spectroscopic mode, full frame and subarrays) and writes `<stem>_nsclean.fits`.
///
/// A thin interface over `FlickerCleaner`: parameters, input checks, and the product layout (the input's
/// extensions and headers with SCI cleaned; ERR, DQ, VAR_* and ASDF untouched; optional MASK and BACKGROUND).
public struct NSCleanStep: TypedStep {
    public init() {}

    public let manifest = StepManifest(
        name: "nsclean",
        summary: "Remove 1/f banding and picture-frame noise from NIRSpec rate files (NSClean, Rauscher 2023); full frame and subarrays",
        routes: [
            Route(
                instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU", "NRS_FIXEDSLIT", "NRS_MSASPEC", "NRS_BRIGHTOBJ"],
                suffixes: ["rate", "rateints"])
        ],
        productSuffix: "nsclean",
        statusKeyword: "S_CLNFNS",
        formerStatusKeywords: ["S_NSCLEN"],
        // ERR, DQ and the variances pass through untouched: left encoded, copied to the product byte for byte. DQ is
        // decoded by the step itself, and dropped once the cleaner has taken its pixel classes from it.
        reads: ["SCI"],
        // 279 MB peak for an 84 MB full-frame rate file, 35 MB of which is the process itself.
        memoryPerInputByte: 4,
        options: NSCleanOptions.self,
        sheet: .cleanedImage)

    public func run(_ inputs: [Exposure], options: NSCleanOptions, context: StepContext) async throws -> [Product] {
        guard inputs.count == 1, let input = inputs.first else {
            throw NSCleanError("nsclean takes one file at a time, got \(inputs.count)")
        }
        let file = input.name.fileName
        let (science, quality) = try context.clock.measure(.decode) { () throws(ExposureError) -> (Image<Float>, Image<UInt32>?) in
            (try input.floatImage("SCI"), input.hdu("DQ") == nil ? nil : try input.unsignedImage("DQ"))
        }
        let maskPath = options.userMask
        let userMask = maskPath.isEmpty ? nil : try Self.loadMask(maskPath)
        // NIRSpec reads along DMS y (|FASTAXIS| = 2); honour the header when it says otherwise.
        let fastAxis = input.primaryHeader.integer("FASTAXIS") ?? input.hdu("SCI")?.header.integer("FASTAXIS") ?? 2
        var cleaning = options.cleaning
        cleaning.linesAlongY = abs(fastAxis) != 1
        let result: CleaningResult
        do {
            result = try FlickerCleaner.clean(science: science, quality: quality, userMask: userMask, options: cleaning)
        } catch {
            throw NSCleanError("\(file): \(error.description)")
        }
        if result.linesFitted + result.linesReduced == 0 {
            context.logger.warning("\(file): no background pixel to fit; SCI left unchanged (S_CLNFNS = SKIPPED)")
        }
        let hdus = NSCleanProduct.hdus(
            of: input, result: result, saveMask: options.saveMask,
            saveBackground: options.saveBackground, userMask: maskPath)
        return [Product(fileName: input.name.product(suffix: manifest.productSuffix), hdus: hdus, program: input.kind.program)]
    }

    public func outline(_ inputs: [Exposure], options: NSCleanOptions) -> [Product] {
        guard inputs.count == 1, let input = inputs.first, let science = try? input.floatImage("SCI") else { return [] }
        let hdus = NSCleanProduct.outline(
            of: input, science: science, saveMask: options.saveMask,
            saveBackground: options.saveBackground, userMask: options.userMask)
        return [Product(fileName: input.name.product(suffix: manifest.productSuffix), hdus: hdus, program: input.kind.program)]
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

/// Everything the step refuses is about its input: the same files would fail the same way.
extension NSCleanError: ClassifiedFailure {
    public var failureKind: FailureKind { .invalidInput }
}
