import Platform

/// The first, coarse background model, which flattens the detection image before the automatic mask is
/// thresholded a second time (`FlickerCleaner.backgroundMask`): the NSClean fit of each line's 4-px bin means of
/// background pixels instead of the pixels themselves.
///
/// The model has a few cycles per line at most (8 on a full-frame line), so 4-px bins lose nothing it can
/// represent (a 4-px mean attenuates 8 cycles per 2048 px by 0.04 %), and interpolated back between bin centres it
/// errs by about 0.1 % of its amplitude: far below what moves a pixel across the threshold. The fit then costs a
/// quarter of one at full resolution. The final fit, whose model is subtracted, is never binned.
enum CoarseModel {
    /// Pixels per bin.
    static let binning = FourPixelBins.width

    /// The fitter for `layout`'s lines: on bin means, or on pixels (without outlier rejection either way) when the
    /// lines are not a whole number of bins long.
    static func fitter(layout: LineLayout, options: CleaningOptions) -> LineFitter {
        let binning = layout.lineLength % Self.binning == 0 ? Self.binning : 1
        return LineFitter(
            lineLength: layout.lineLength / binning, fullFrameFrequencies: options.frequencies,
            weightSigma: options.weightSigma, clipSigma: 0, binning: binning)
    }

    /// The model of every line of `plane` (line layout) fitted to its `background` pixels, at every pixel.
    static func fit(_ plane: [Float], background: [UInt8], layout: LineLayout, fitter: LineFitter) -> [Float] {
        guard fitter.binning > 1 else {
            return FlickerCleaner.fitLines(values: plane, background: background, layout: layout, fitter: fitter).model
        }
        let n = layout.lineLength, bins = fitter.lineLength, binCount = layout.lineCount * bins
        var counts = [UInt8](repeating: 0, count: binCount)
        let means = [Float](hugePagesCount: binCount) { meanBuffer in
            counts.withUnsafeMutableBufferPointer { countBuffer in
                plane.withUnsafeBufferPointer { values in
                    background.withUnsafeBufferPointer { mask in
                        let mean = SharedBuffer(meanBuffer), counted = SharedBuffer(countBuffer)
                        let pixels = SharedBuffer(UnsafeMutableBufferPointer(mutating: values))
                        let flags = SharedBuffer(UnsafeMutableBufferPointer(mutating: mask))
                        // Lines are whole numbers of bins, so bin i covers pixels binning·i … binning·i + binning − 1.
                        Parallel.forEach(binCount) { range in
                            for bin in range {
                                var sum: Float = 0, count = 0
                                for m in (bin &* binning)..<((bin &+ 1) &* binning) {
                                    let value = pixels[m], use = flags[m] != 0
                                    sum += use ? value : 0
                                    count &+= use ? 1 : 0
                                }
                                mean[bin] = count > 0 ? sum / Float(count) : 0
                                counted[bin] = UInt8(count)
                            }
                        }
                    }
                }
            }
        }
        let coarse = FlickerCleaner.fitLines(values: means, background: counts, layout: .lines(layout.lineCount, of: bins), fitter: fitter)
        return [Float](hugePagesCount: plane.count) { output in
            let model = SharedBuffer(output)
            coarse.model.withUnsafeBufferPointer { binned in
                let source = SharedBuffer(UnsafeMutableBufferPointer(mutating: binned))
                Parallel.forEach(layout.lineCount) { lines in
                    for line in lines {
                        FourPixelBins.interpolate(
                            UnsafeBufferPointer(source.slice((line * bins)..<((line + 1) * bins))),
                            into: model.slice((line * n)..<((line + 1) * n)))
                    }
                }
            }
        }
    }
}
