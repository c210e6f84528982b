import FITS
import Numerics
import Pipeline

/// Settings of one cleaning run (the step's parameters, minus file handling).
public struct CleaningOptions: Sendable, Equatable {
    public var mask: MaskOptions
    /// Frequencies fitted on a full 2048-px line (scaled to the line length, see `Apodizer`).
    public var frequencies: Int
    /// Sigma (px) of the Gaussian that measures the local background-sample density.
    public var weightSigma: Double
    /// Per-line rejection of background samples beyond this many MAD-sigmas (0 = none).
    public var lineClipSigma: Double
    /// True when detector lines (the fast-read direction) run along DMS y, as for NIRSpec (|FASTAXIS| = 2).
    public var linesAlongY: Bool

    public init(mask: MaskOptions = MaskOptions(), frequencies: Int = 9, weightSigma: Double = 32, lineClipSigma: Double = 3,
                linesAlongY: Bool = true) {
        self.mask = mask
        self.frequencies = frequencies
        self.weightSigma = weightSigma
        self.lineClipSigma = lineClipSigma
        self.linesAlongY = linesAlongY
    }
}

/// The cleaned image with the model and mask that made it, and how the lines went.
public struct CleaningResult: Sendable {
    public var cleaned: Image<Float>
    /// The subtracted background model (0 on reference pixels and unfitted lines).
    public var background: Image<Float>
    /// The background mask used (1 = background), one plane for all integrations.
    public var mask: Image<UInt8>
    public var linesFitted = 0
    public var linesReduced = 0
    public var linesEmpty = 0
}

/// A mask or image that cannot be used, with a message naming the problem.
public struct NSCleanError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// NSClean on whole images: builds (or checks) the background mask, fits every line of every integration in
/// parallel, and subtracts the model. Plain functions on arrays, usable without files.
public enum FlickerCleaner {
    /// Cleans a rate image (2-D) or rateints cube (3-D). `quality` (DQ) is optional; `userMask` (1 = background)
    /// must have the shape of one plane or of the whole cube. Reference pixels (DQ) are neither fitted nor changed.
    public static func clean(science: Image<Float>, quality: Image<UInt32>?, userMask: Image<UInt8>?,
                             options: CleaningOptions) throws(NSCleanError) -> CleaningResult {
        guard science.axes.count == 2 || science.axes.count == 3, science.width > 0, science.height > 0 else {
            throw NSCleanError("SCI must be a 2-D image or 3-D cube, not \(science.axes.count)-D \(science.axes)")
        }
        if let quality, quality.axes != science.axes {
            throw NSCleanError("DQ has shape \(quality.axes), SCI has \(science.axes)")
        }
        let width = science.width, height = science.height, planes = science.planes, size = width * height
        let mask = try backgroundMask(science: science, quality: quality, userMask: userMask, options: options)

        var background = Image<Float>(axes: science.axes, repeating: 0)
        var result = CleaningResult(cleaned: science, background: background,
                                    mask: Image(axes: [width, height], pixels: mask.combined))
        let lineCount = options.linesAlongY ? width : height
        let fitter = fitter(for: science, options: options)
        for plane in 0..<planes {
            let range = (plane * size)..<((plane + 1) * size)
            let model = fitPlane(values: science.pixels[range], background: mask.perPlane[plane], width: width, height: height,
                                 lineCount: lineCount, fitter: fitter, linesAlongY: options.linesAlongY)
            result.linesFitted += model.outcomes.filter { $0 == .fitted }.count
            result.linesReduced += model.outcomes.filter { $0 == .reduced }.count
            result.linesEmpty += model.outcomes.filter { $0 == .empty }.count
            let reference = DataQuality.referencePixel.rawValue
            let flags = quality?.pixels ?? []
            let offset = plane * size
            background.pixels.withUnsafeMutableBufferPointer { subtracted in
                result.cleaned.pixels.withUnsafeMutableBufferPointer { cleaned in
                    for i in 0..<size {
                        let value = !flags.isEmpty && flags[offset &+ i] & reference != 0 ? 0 : model.pixels[i]
                        subtracted[offset &+ i] = value
                        cleaned[offset &+ i] -= value
                    }
                }
            }
        }
        result.background = background
        return result
    }

    /// The mask used for the fit of each plane, and the one reported (their AND over integrations).
    struct PlaneMasks {
        var perPlane: [[UInt8]]
        var combined: [UInt8]
    }

    static func backgroundMask(science: Image<Float>, quality: Image<UInt32>?, userMask: Image<UInt8>?,
                               options: CleaningOptions) throws(NSCleanError) -> PlaneMasks {
        let width = science.width, height = science.height, planes = science.planes, size = width * height
        let usable = (0..<planes).map { p in
            BackgroundMask.usable(values: science.pixels[(p * size)..<((p + 1) * size)],
                                  quality: quality.map { $0.pixels[(p * size)..<((p + 1) * size)] })
        }
        if let userMask {
            let planeShape = [width, height]
            guard userMask.axes == planeShape || userMask.axes == science.axes else {
                throw NSCleanError("user mask has shape \(userMask.axes.map(String.init).joined(separator: "x")), "
                    + "the science data \(science.axes.map(String.init).joined(separator: "x"))")
            }
            let perPlane = (0..<planes).map { p in
                let offset = userMask.axes == planeShape ? 0 : p * size
                return (0..<size).map { i in usable[p][i] != 0 && userMask.pixels[offset + i] != 0 ? UInt8(1) : 0 }
            }
            return PlaneMasks(perPlane: perPlane, combined: and(perPlane, size: size))
        }
        // One detection image for all integrations (their mean where every one is usable) gives one mask with
        // √nints more depth than per-integration masks.
        let common = and(usable, size: size)
        var detection = [Float](repeating: 0, count: size)
        science.pixels.withUnsafeBufferPointer { pixels in
            for p in 0..<planes {
                for i in 0..<size where common[i] != 0 { detection[i] += pixels[p &* size &+ i] / Float(planes) }
            }
        }
        if options.mask.nSigma > 0 {
            // Banding offsets whole lines; level each line first so that the threshold sees the light, not the bands.
            BackgroundMask.levelLines(&detection, usable: common, width: width, height: height, linesAlongY: options.linesAlongY)
        }
        var automatic = BackgroundMask.automatic(detection: detection, usable: common, width: width, height: height, options: options.mask)
        if options.mask.nSigma > 0 {
            // Second pass: strong banding lifts whole columns over the threshold, leaving them with few, low
            // background samples and long gaps. Thresholding again after removing a first model fixes that.
            // This model only flattens the detection image, so it skips the per-line outlier rejection.
            var firstPass = options
            firstPass.lineClipSigma = 0
            let first = fitPlane(values: detection[...], background: automatic, width: width, height: height,
                                 lineCount: options.linesAlongY ? width : height, fitter: fitter(for: science, options: firstPass),
                                 linesAlongY: options.linesAlongY)
            for i in 0..<size where common[i] != 0 { detection[i] -= first.pixels[i] }
            automatic = BackgroundMask.automatic(detection: detection, usable: common, width: width, height: height, options: options.mask)
        }
        return PlaneMasks(perPlane: Array(repeating: automatic, count: planes), combined: automatic)
    }

    static func fitter(for science: Image<Float>, options: CleaningOptions) -> LineFitter {
        LineFitter(lineLength: options.linesAlongY ? science.height : science.width, fullFrameFrequencies: options.frequencies,
                   weightSigma: options.weightSigma, clipSigma: options.lineClipSigma)
    }

    private static func and(_ masks: [[UInt8]], size: Int) -> [UInt8] {
        var combined = masks[0]
        for mask in masks.dropFirst() {
            for i in 0..<size where mask[i] == 0 { combined[i] = 0 }
        }
        return combined
    }

    /// Fits every line of one plane; returns the model in image layout and the outcome of each line.
    static func fitPlane(values: ArraySlice<Float>, background: [UInt8], width: Int, height: Int, lineCount: Int,
                         fitter: LineFitter, linesAlongY: Bool) -> (pixels: [Float], outcomes: [LineOutcome]) {
        let n = fitter.lineLength
        // Lines are gathered into contiguous buffers (a transpose for NIRSpec, whose lines are DMS columns).
        var lineValues = linesAlongY ? [Float](repeating: 0, count: lineCount * n) : Array(values)
        var lineMask = linesAlongY ? [UInt8](repeating: 0, count: lineCount * n) : background
        if linesAlongY {
            values.withUnsafeBufferPointer { v in lineValues.withUnsafeMutableBufferPointer { Transpose.toLines(v, width: width, height: height, into: $0) } }
            background.withUnsafeBufferPointer { b in lineMask.withUnsafeMutableBufferPointer { Transpose.toLines(b, width: width, height: height, into: $0) } }
        }
        var model = [Float](repeating: 0, count: lineCount * n)
        var outcomes = [LineOutcome](repeating: .empty, count: lineCount)
        lineValues.withUnsafeBufferPointer { valuesBuffer in
            lineMask.withUnsafeBufferPointer { maskBuffer in
                model.withUnsafeMutableBufferPointer { modelBuffer in
                    outcomes.withUnsafeMutableBufferPointer { outcomeBuffer in
                        let input = SharedBuffer(UnsafeMutableBufferPointer(mutating: valuesBuffer))
                        let mask = SharedBuffer(UnsafeMutableBufferPointer(mutating: maskBuffer))
                        let output = SharedBuffer(modelBuffer)
                        let results = SharedBuffer(outcomeBuffer)
                        Parallel.forEach(lineCount) { lines in
                            let scratch = LineFitter.Scratch(for: fitter)
                            for line in lines {
                                let range = (line * n)..<((line + 1) * n)
                                results[line] = fitter.fit(values: UnsafeBufferPointer(input.slice(range)),
                                                           background: UnsafeBufferPointer(mask.slice(range)),
                                                           model: output.slice(range), scratch: scratch)
                            }
                        }
                    }
                }
            }
        }
        guard linesAlongY else { return (model, outcomes) }
        var pixels = [Float](repeating: 0, count: width * height)
        model.withUnsafeBufferPointer { m in pixels.withUnsafeMutableBufferPointer { Transpose.toImage(m, width: width, height: height, into: $0) } }
        return (pixels, outcomes)
    }
}
