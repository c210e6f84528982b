import Numerics
import Pipeline
import Platform

/// How the automatic background mask is made.
public struct MaskOptions: Sendable, Equatable {
    /// Pixels brighter than median + nSigma × sigma of the detection image are signal (0 = no clipping).
    public var nSigma: Double
    /// Signal pixels are grown by this many pixels in x and y (the paper's "subtle binary dilation", §3.5).
    public var grow: Int
    /// Box length (px, odd) along the dispersion axis (DMS x) over which the detection image is averaged.
    public var smoothing: Int

    public init(nSigma: Double = 2, grow: Int = 1, smoothing: Int = 7) {
        self.nSigma = nSigma
        self.grow = grow
        self.smoothing = smoothing
    }
}

/// Background masks (1 = dark pixel usable for the fit, 0 = possibly illuminated or unusable), in line layout
/// (`LineLayout`).
///
/// The automatic mask follows the reference (jwst notes B.3: non-finite and zero pixels out, clipping of bright
/// pixels at `n_sigma` above the background level and of dark outliers 3 sigma below) with three changes:
/// the background level is the lowest mode of the image rather than a sigma-clipped median (see `darkLevel`);
/// the clipping is done on an image averaged along the dispersion (traces run along x, so a 7-px average
/// raises their signal-to-noise by √7 while single hot pixels fade); and the signal pixels are grown by
/// `grow` pixels, as the paper's automated recipe does.
public enum BackgroundMask {
    /// DQ bits that keep a pixel out of the background: unusable values and the reference-pixel border,
    /// which does not see the banding (NSClean paper §2).
    public static let excludedQuality: DataQuality = DataQuality.unusable.union(.referencePixel)

    /// 1 where the value is finite, non-zero (the pipeline writes 0 where it had no data) and the DQ allows it, in
    /// line layout: `lines` is the plane in line layout, `classes` its DQ classes (`PixelClasses`).
    static func usable(lines: [Float], classes: PixelClasses?) -> [UInt8] {
        let count = lines.count
        return [UInt8](hugePagesCount: count) { out in
            let output = SharedBuffer(out)
            lines.withUnsafeBufferPointer { v in
                let values = SharedBuffer(UnsafeMutableBufferPointer(mutating: v))
                if let classes {
                    classes.lines.withUnsafeBufferPointer { c in
                        let excluded = SharedBuffer(UnsafeMutableBufferPointer(mutating: c))
                        Parallel.forEach(count) { range in
                            for l in range {
                                output[l] = Self.finiteNonZero(values[l]) & (excluded[l] & PixelClasses.excluded == 0 ? 1 : 0)
                            }
                        }
                    }
                } else {
                    Parallel.forEach(count) { range in
                        for l in range { output[l] = Self.finiteNonZero(values[l]) }
                    }
                }
            }
        }
    }

    /// 1 for a finite, non-zero value, else 0, from the bits alone: |x| − 1 wraps below the largest finite |x| exactly
    /// then. Branch-free, so that the loops using it vectorise (`isFinite && != 0` compiled to two branches a pixel).
    @inline(__always)
    private static func finiteNonZero(_ value: Float) -> UInt8 {
        (value.bitPattern & 0x7fff_ffff) &- 1 < 0x7f7f_ffff ? 1 : 0
    }

    /// The automatic mask from a detection plane in line layout (a rate image, or the mean of a rateints cube).
    static func automatic(detection: [Float], usable: [UInt8], layout: LineLayout, options: MaskOptions) -> [UInt8] {
        let smoothed = smoothAlongDispersion(detection, usable: usable, layout: layout, length: options.smoothing)
        guard options.nSigma > 0, let dark = darkLevel(smoothed, usable: usable) else { return usable }
        let upper = Float(dark.centre + options.nSigma * dark.sigma)
        let lower = Float(dark.centre - 3 * dark.sigma)
        let count = detection.count
        var signal = [UInt8](hugePagesCount: count) { out in
            let output = SharedBuffer(out)
            Parallel.forEach(count) { range in
                for i in range {
                    let v = smoothed[i]
                    output[i] = usable[i] != 0 && (v > upper || v < lower) ? 1 : 0
                }
            }
        }
        if options.grow > 0 { signal = dilate(signal, width: layout.lineLength, height: layout.lineCount, radius: options.grow) }
        signal.withUnsafeMutableBufferPointer { grown in
            usable.withUnsafeBufferPointer { use in
                let mask = SharedBuffer(grown), usableFlags = SharedBuffer(UnsafeMutableBufferPointer(mutating: use))
                Parallel.forEach(count) { range in
                    for i in range {
                        let flag = usableFlags[i]
                        mask[i] = mask[i] != 0 ? 0 : flag
                    }
                }
            }
        }
        return signal
    }

    /// Mean of the usable pixels in a centred box of `length` pixels along DMS x (the pixel itself when none is
    /// usable), with running sums: across lines for NIRSpec, along each line otherwise.
    static func smoothAlongDispersion(_ lines: [Float], usable: [UInt8], layout: LineLayout, length: Int) -> [Float] {
        let half = max(0, length / 2)
        guard half > 0 else { return lines }
        let n = layout.lineLength, lineCount = layout.lineCount
        // Positions with no usable pixel in the box keep their own value.
        return [Float](hugePagesCount: lines.count) { buffer in
            let shared = SharedBuffer(buffer)
            if layout.dispersionAcrossLines {
                // Each worker slides a box of `length` lines down its block: the line entering is added, the one
                // leaving subtracted, two adds per pixel whatever the length, the unusable values masked on the
                // fly. The sums are kept in double precision, in which running over 2048 lines loses nothing a
                // float mean would show (a single-precision running sum would drift); the counts are exact.
                Parallel.forEach(lineCount) { block in
                    guard let firstLine = block.first else { return }
                    let sum = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
                    let count = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
                    defer { sum.deallocate(); count.deallocate() }
                    sum.update(repeating: 0)
                    count.update(repeating: 0)
                    lines.withUnsafeBufferPointer { values in
                        usable.withUnsafeBufferPointer { use in
                            // `sign` 1 adds a line to the box, -1 takes it out. A plain select-and-add, which vectorises
                            // because the value is loaded whatever the flag (a load on one side of the select kept it scalar).
                            func accumulate(_ line: Int, _ sign: Double) {
                                let row = line &* n, step = Int32(sign)
                                for m in 0..<n {
                                    let value = sign * Double(values[row &+ m])
                                    sum[m] += use[row &+ m] != 0 ? value : 0
                                }
                                for m in 0..<n { count[m] &+= use[row &+ m] != 0 ? step : 0 }
                            }
                            // The box of the line before the block, so that the first step's add and subtract complete it.
                            for other in max(0, firstLine &- half &- 1)..<min(lineCount, firstLine &+ half) { accumulate(other, 1) }
                            for line in block {
                                if line &+ half < lineCount { accumulate(line &+ half, 1) }
                                if line &- half &- 1 >= 0 { accumulate(line &- half &- 1, -1) }
                                let row = line &* n
                                for m in 0..<n {
                                    // Divided whether needed or not (by at least 1), then selected: branch-free.
                                    let own = values[row &+ m], pixels = count[m], mean = Float(sum[m] / Double(max(pixels, 1)))
                                    shared[row &+ m] = pixels > 0 ? mean : own
                                }
                            }
                        }
                    }
                }
            } else {
                Parallel.forEach(lineCount) { block in
                    for line in block {
                        let row = line * n
                        var sum = 0.0, count = 0
                        for m in 0..<min(half, n) where usable[row + m] != 0 { sum += Double(lines[row + m]); count += 1 }
                        for m in 0..<n {
                            let enter = m + half, leave = m - half - 1
                            if enter < n, usable[row + enter] != 0 { sum += Double(lines[row + enter]); count += 1 }
                            if leave >= 0, usable[row + leave] != 0 { sum -= Double(lines[row + leave]); count -= 1 }
                            shared[row + m] = count > 0 ? Float(sum / Double(count)) : lines[row + m]
                        }
                    }
                }
            }
        }
    }

    /// Most pixels `darkLevel` looks at: its standard errors are then ≈ 1 % of sigma for the centre and the
    /// width, against a threshold of a few sigma, and the sort (serial) takes a few milliseconds.
    static let darkSample = 1 << 15

    /// Centre and spread of the dark pixels: the lowest mode of the detection image.
    public struct DarkLevel: Sendable, Equatable {
        public var centre: Double
        public var sigma: Double
    }

    /// Finds the dark mode from the usable pixels among an evenly strided sample of at most `darkSample` pixels
    /// (a full frame has 4.2 million; the mode and its width need far fewer). The reference's
    /// sigma clipping (median ± 3 std) converges on the *illuminated* pixels when they are the majority — an
    /// IFU exposure with sky or extended emission in every slice — and then masks nothing. Here the search
    /// starts in the lower quartile and re-centres on the median of a ±3 sigma window, with sigma taken from
    /// the lower half of that window only (mirrored), which light cannot inflate.
    public static func darkLevel(_ image: [Float], usable: [UInt8]) -> DarkLevel? {
        func usableValues(every step: Int) -> [Float] {
            var values: [Float] = []
            values.reserveCapacity(image.count / step + 1)
            image.withUnsafeBufferPointer { pixels in
                usable.withUnsafeBufferPointer { use in
                    for i in stride(from: 0, to: pixels.count, by: step) where use[i] != 0 { values.append(pixels[i]) }
                }
            }
            return values
        }
        let step = max(1, image.count / darkSample)
        var floats = usableValues(every: step)
        // Few usable pixels (most of the plane flagged, non-finite or zero): take them all.
        if step > 1, floats.count < darkSample / 16 { floats = usableValues(every: 1) }
        guard !floats.isEmpty else { return nil }
        // A radix sort: a comparison sort of the sample was half of a subarray's cleaning time. (Where it puts −0
        // before +0, the statistics below come out the same: they only compare and subtract.)
        RobustStatistics.radixSort(&floats)
        let sample = floats.map(Double.init)
        func quantile(_ q: Double) -> Double { sample[min(sample.count - 1, Int(q * Double(sample.count - 1)))] }
        var centre = quantile(0.25)
        var sigma = (quantile(0.25) - quantile(0.10)) / 0.6067
        guard sigma > 0 else { return DarkLevel(centre: centre, sigma: 0) }
        for _ in 0..<8 {
            let low = lowerBound(sample, centre - 3 * sigma), high = lowerBound(sample, centre + 3 * sigma)
            guard high > low else { break }
            centre = sample[(low + high) / 2]
            let middle = lowerBound(sample, centre)
            guard middle > low else { break }
            var squares = 0.0
            for i in low..<middle { squares += (sample[i] - centre) * (sample[i] - centre) }
            // A normal distribution cut at 3 sigma keeps 97.3 % of its variance.
            sigma = (squares / Double(middle - low) / 0.9733).squareRoot()
        }
        return DarkLevel(centre: centre, sigma: sigma)
    }

    /// Index of the first element ≥ `value` in a sorted array.
    private static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The plane with the 10th percentile of its usable pixels subtracted from every line: a level inside the
    /// dark mode as long as at least a tenth of the line is dark, whatever the banding offset. (A new plane rather
    /// than levelling a copy in place: one pass instead of two, on fresh huge pages.)
    static func levelled(_ lines: [Float], usable: [UInt8], layout: LineLayout) -> [Float] {
        let n = layout.lineLength
        return [Float](hugePagesCount: lines.count) { buffer in
            let output = SharedBuffer(buffer)
            Parallel.forEach(layout.lineCount) { block in
                var values: [Double] = []
                values.reserveCapacity(n / 8 + 1)
                for line in block {
                    let row = line * n
                    values.removeAll(keepingCapacity: true)
                    // Every eighth pixel: a percentile of ~250 samples is as good a level and costs an eighth.
                    for m in stride(from: 0, to: n, by: 8) where usable[row + m] != 0 { values.append(Double(lines[row + m])) }
                    let level = values.isEmpty ? 0 : Float(RobustStatistics.select(&values, values.count / 10))
                    lines.withUnsafeBufferPointer { source in
                        for m in 0..<n { output[row &+ m] = source[row &+ m] - level }
                    }
                }
            }
        }
    }

    /// Binary dilation of a 0/1 mask by a (2r+1)² square, as two separable passes of ORs over shifted rows (along
    /// each row, then across rows), which vectorise: r is a few pixels.
    static func dilate(_ mask: [UInt8], width: Int, height: Int, radius r: Int) -> [UInt8] {
        guard r > 0 else { return mask }
        let rows = orPass(mask, width: width, height: height) { y, or in
            let base = y &* width
            for shift in 1...r where shift < width {
                or(-shift, (base &+ shift)..<(base &+ width))
                or(shift, base..<(base &+ width &- shift))
            }
        }
        return orPass(rows, width: width, height: height) { y, or in
            for other in max(0, y &- r)...min(height &- 1, y &+ r) where other != y {
                or((other &- y) &* width, (y &* width)..<(y &* width &+ width))
            }
        }
    }

    /// One pass of the dilation, rows on all cores: each output row starts as its input row, then `segments(y, or)`
    /// calls `or(offset, range)` to OR `input[i + offset]` into `output[i]` for every i in `range`.
    private static func orPass(
        _ mask: [UInt8], width: Int, height: Int,
        segments: @Sendable (_ y: Int, _ or: (_ offset: Int, _ range: Range<Int>) -> Void) -> Void
    ) -> [UInt8] {
        [UInt8](hugePagesCount: mask.count) { out in
            let output = SharedBuffer(out)
            mask.withUnsafeBufferPointer { m in
                let input = SharedBuffer(UnsafeMutableBufferPointer(mutating: m))
                Parallel.forEach(height) { block in
                    for y in block {
                        let base = y &* width
                        for x in base..<(base &+ width) { output[x] = input[x] }
                        segments(y) { offset, range in
                            for i in range { output[i] |= input[i &+ offset] }
                        }
                    }
                }
            }
        }
    }
}
