import FITS
import Numerics
import Pipeline
import Platform

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

    public init(
        mask: MaskOptions = MaskOptions(), frequencies: Int = 9, weightSigma: Double = 32, lineClipSigma: Double = 3,
        linesAlongY: Bool = true
    ) {
        self.mask = mask
        self.frequencies = frequencies
        self.weightSigma = weightSigma
        self.lineClipSigma = lineClipSigma
        self.linesAlongY = linesAlongY
    }
}

/// The cleaned image with the model and mask that made it, and how the lines went. The model and mask are kept
/// in line layout and converted to images only when asked for (most runs save neither).
public struct CleaningResult: Sendable {
    public var cleaned: Image<Float>
    public var linesFitted = 0
    public var linesReduced = 0
    public var linesEmpty = 0
    let layout: LineLayout
    /// The subtracted model of each plane, line layout.
    let modelLines: [[Float]]
    /// The mask reported (AND over integrations), line layout.
    let maskLines: [UInt8]

    /// The subtracted background model (0 on reference pixels and unfitted lines), converted to an image now.
    public func background() -> Image<Float> { Image(axes: cleaned.axes, pixels: modelLines.flatMap { layout.toImage($0) }) }
    /// The background mask used (1 = background), one plane for all integrations, converted to an image now.
    public func mask() -> Image<UInt8> { Image(axes: [layout.width, layout.height], pixels: layout.toImage(maskLines)) }
    /// Fraction of a plane's pixels used as background.
    public var backgroundFraction: Double { Double(maskLines.reduce(0) { $0 + Int($1) }) / Double(max(1, maskLines.count)) }
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
    /// `quality` is consumed: the pixel classes taken from it are all the cleaner keeps, so its memory can serve the
    /// planes made after.
    public static func clean(
        science: Image<Float>, quality: consuming Image<UInt32>?, userMask: Image<UInt8>?,
        options: CleaningOptions
    ) throws(NSCleanError) -> CleaningResult {
        guard science.axes.count == 2 || science.axes.count == 3, science.width > 0, science.height > 0 else {
            throw NSCleanError("SCI must be a 2-D image or 3-D cube, not \(science.axes.count)-D \(science.axes)")
        }
        if let quality, quality.axes != science.axes {
            throw NSCleanError("DQ has shape \(quality.axes), SCI has \(science.axes)")
        }
        let layout = LineLayout(width: science.width, height: science.height, linesAlongY: options.linesAlongY)
        let size = layout.size, planes = science.planes, total = science.pixels.count
        // The fitters' FFT plans are made while the image is transposed and the mask prepared.
        let fitter = Background {
            LineFitter(
                lineLength: layout.lineLength, fullFrameFrequencies: options.frequencies,
                weightSigma: options.weightSigma, clipSigma: options.lineClipSigma)
        }
        // The coarse one only when the automatic mask is refined (no user mask, clipping on).
        let coarseFitter =
            userMask == nil && options.mask.nSigma > 0 ? Background { CoarseModel.fitter(layout: layout, options: options) } : nil
        var lines = (0..<planes).map { p in layout.toLines(science.pixels[(p * size)..<((p + 1) * size)]) }
        let classes = quality.map { quality in
            (0..<planes).map { p in PixelClasses(quality: quality.pixels[(p * size)..<((p + 1) * size)], layout: layout) }
        }
        quality = nil
        let mask = try backgroundMask(
            science: science, lines: lines, classes: classes, userMask: userMask, layout: layout,
            coarseFitter: coarseFitter, options: options)
        var outcomes: [LineOutcome] = []
        var models: [[Float]] = []
        let cleaned = [Float](hugePagesCount: total) { output in
            for plane in 0..<planes {
                var fit = fitLines(values: lines[plane], background: mask.perPlane[plane], layout: layout, fitter: fitter.value)
                outcomes += fit.outcomes
                let range = (plane * size)..<((plane + 1) * size)
                layout.subtract(
                    &fit.model, from: &lines[plane], classes: classes?[plane],
                    into: UnsafeMutableBufferPointer(rebasing: output[range]))
                models.append(fit.model)
            }
        }
        var result = CleaningResult(
            cleaned: Image(axes: science.axes, pixels: cleaned), layout: layout, modelLines: models,
            maskLines: mask.combined)
        result.linesFitted = outcomes.filter { $0 == .fitted }.count
        result.linesReduced = outcomes.filter { $0 == .reduced }.count
        result.linesEmpty = outcomes.filter { $0 == .empty }.count
        return result
    }

    /// The mask used for the fit of each plane, and the one reported (their AND over integrations), in line layout.
    struct PlaneMasks {
        var perPlane: [[UInt8]]
        var combined: [UInt8]
    }

    /// Background masks for the science planes, which `lines` holds in line layout.
    static func backgroundMask(
        science: Image<Float>, lines: [[Float]], classes: [PixelClasses]?, userMask: Image<UInt8>?, layout: LineLayout,
        coarseFitter: Background<LineFitter>?, options: CleaningOptions
    ) throws(NSCleanError) -> PlaneMasks {
        let size = layout.size, planes = lines.count
        let planeShape = [layout.width, layout.height]
        if let userMask {
            guard userMask.axes == planeShape || userMask.axes == science.axes else {
                throw NSCleanError(
                    "user mask has shape \(userMask.axes.map(String.init).joined(separator: "x")), "
                        + "the science data \(science.axes.map(String.init).joined(separator: "x"))")
            }
        }
        let usable = (0..<planes).map { p in
            var planeUsable = BackgroundMask.usable(lines: lines[p], classes: classes?[p])
            if let userMask {
                let offset = userMask.axes == planeShape ? 0 : p * size
                let user = layout.toLines(userMask.pixels[offset..<(offset + size)])
                for i in 0..<size where user[i] == 0 { planeUsable[i] = 0 }
            }
            return planeUsable
        }
        if userMask != nil { return PlaneMasks(perPlane: usable, combined: and(usable, size: size)) }
        // One detection image for all integrations (their mean where every one is usable) gives one mask with
        // √nints more depth than per-integration masks.
        let common = and(usable, size: size)
        var detection = lines[0]
        if planes > 1 {
            detection = [Float](repeating: 0, count: size)
            for plane in lines {
                for i in 0..<size where common[i] != 0 { detection[i] += plane[i] / Float(planes) }
            }
        }
        if options.mask.nSigma > 0 {
            // Banding offsets whole lines; level each line first so that the threshold sees the light, not the bands.
            detection = BackgroundMask.levelled(detection, usable: common, layout: layout)
        }
        var automatic = BackgroundMask.automatic(detection: detection, usable: common, layout: layout, options: options.mask)
        if options.mask.nSigma > 0, let coarseFitter {
            // Second pass: strong banding lifts whole columns over the threshold, leaving them with few, low
            // background samples and long gaps. Thresholding again after removing a first model fixes that.
            // This model only flattens the detection image: a coarse one does (`CoarseModel`).
            let first = CoarseModel.fit(detection, background: automatic, layout: layout, fitter: coarseFitter.value)
            detection.withUnsafeMutableBufferPointer { values in
                first.withUnsafeBufferPointer { model in
                    let shared = SharedBuffer(values), subtracted = SharedBuffer(UnsafeMutableBufferPointer(mutating: model))
                    Parallel.forEach(size) { range in
                        for i in range {
                            let change = subtracted[i]
                            shared[i] -= common[i] != 0 ? change : 0
                        }
                    }
                }
            }
            automatic = BackgroundMask.automatic(detection: detection, usable: common, layout: layout, options: options.mask)
        }
        return PlaneMasks(perPlane: Array(repeating: automatic, count: planes), combined: automatic)
    }

    private static func and(_ masks: [[UInt8]], size: Int) -> [UInt8] {
        var combined = masks[0]
        for mask in masks.dropFirst() {
            for i in 0..<size where mask[i] == 0 { combined[i] = 0 }
        }
        return combined
    }

    /// Fits every line of one plane in line layout; returns the model (line layout) and the outcome of each line.
    static func fitLines(values: [Float], background: [UInt8], layout: LineLayout, fitter: LineFitter)
        -> (model: [Float], outcomes: [LineOutcome])
    {
        let n = layout.lineLength, lineCount = layout.lineCount
        var outcomes = [LineOutcome](repeating: .empty, count: lineCount)
        let model = [Float](hugePagesCount: lineCount * n) { modelBuffer in
            values.withUnsafeBufferPointer { valuesBuffer in
                background.withUnsafeBufferPointer { maskBuffer in
                    outcomes.withUnsafeMutableBufferPointer { outcomeBuffer in
                        let input = SharedBuffer(UnsafeMutableBufferPointer(mutating: valuesBuffer))
                        let mask = SharedBuffer(UnsafeMutableBufferPointer(mutating: maskBuffer))
                        let output = SharedBuffer(modelBuffer)
                        let results = SharedBuffer(outcomeBuffer)
                        Parallel.forEach(lineCount) { block in
                            let scratch = LineFitter.Scratch(for: fitter)
                            for line in block {
                                let range = (line * n)..<((line + 1) * n)
                                results[line] = fitter.fit(
                                    values: UnsafeBufferPointer(input.slice(range)),
                                    background: UnsafeBufferPointer(mask.slice(range)),
                                    model: output.slice(range), scratch: scratch)
                            }
                        }
                    }
                }
            }
        }
        return (model, outcomes)
    }
}
