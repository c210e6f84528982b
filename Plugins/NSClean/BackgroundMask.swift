import Numerics
import Pipeline

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

/// Background masks (1 = dark pixel usable for the fit, 0 = possibly illuminated or unusable), in the image's
/// own layout (`pixels[y * width + x]`).
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

    /// 1 where the value is finite, non-zero (the pipeline writes 0 where it had no data) and the DQ allows it.
    public static func usable(values: ArraySlice<Float>, quality: ArraySlice<UInt32>?) -> [UInt8] {
        let excluded = excludedQuality.rawValue
        return (0..<values.count).map { i in
            let value = values[values.startIndex + i]
            guard value.isFinite, value != 0 else { return 0 }
            if let quality, quality[quality.startIndex + i] & excluded != 0 { return 0 }
            return 1
        }
    }

    /// The automatic mask from a detection image (a rate image, or the mean of a rateints cube).
    public static func automatic(detection: [Float], usable: [UInt8], width: Int, height: Int, options: MaskOptions) -> [UInt8] {
        let smoothed = smoothAlongX(detection, usable: usable, width: width, height: height, length: options.smoothing)
        guard options.nSigma > 0, let dark = darkLevel(smoothed, usable: usable) else { return usable }
        let upper = dark.centre + options.nSigma * dark.sigma
        let lower = dark.centre - 3 * dark.sigma
        var signal = [UInt8](repeating: 0, count: detection.count)
        for i in 0..<detection.count where usable[i] != 0 {
            let v = Double(smoothed[i])
            if v > upper || v < lower { signal[i] = 1 }
        }
        if options.grow > 0 { signal = dilate(signal, width: width, height: height, radius: options.grow) }
        return zip(usable, signal).map { $0 != 0 && $1 == 0 ? 1 : 0 }
    }

    /// Mean of the usable pixels in a centred box of `length` pixels along x (the pixel itself when none is usable).
    static func smoothAlongX(_ image: [Float], usable: [UInt8], width: Int, height: Int, length: Int) -> [Float] {
        let half = max(0, length / 2)
        guard half > 0 else { return image }
        var out = image
        out.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            Parallel.forEach(height) { rows in
                for y in rows {
                    let row = y * width
                    var sum = 0.0, count = 0
                    // Running window [x − half, x + half] over usable pixels.
                    for x in 0..<min(half, width) where usable[row + x] != 0 { sum += Double(image[row + x]); count += 1 }
                    for x in 0..<width {
                        let enter = x + half, leave = x - half - 1
                        if enter < width, usable[row + enter] != 0 { sum += Double(image[row + enter]); count += 1 }
                        if leave >= 0, usable[row + leave] != 0 { sum -= Double(image[row + leave]); count -= 1 }
                        if count > 0 { shared[row + x] = Float(sum / Double(count)) }
                    }
                }
            }
        }
        return out
    }

    /// Centre and spread of the dark pixels: the lowest mode of the detection image.
    public struct DarkLevel: Sendable, Equatable {
        public var centre: Double
        public var sigma: Double
    }

    /// Finds the dark mode from an evenly strided sample of at most ~100 000 usable pixels. The reference's
    /// sigma clipping (median ± 3 std) converges on the *illuminated* pixels when they are the majority — an
    /// IFU exposure with sky or extended emission in every slice — and then masks nothing. Here the search
    /// starts in the lower quartile and re-centres on the median of a ±3 sigma window, with sigma taken from
    /// the lower half of that window only (mirrored), which light cannot inflate.
    public static func darkLevel(_ image: [Float], usable: [UInt8]) -> DarkLevel? {
        let total = usable.reduce(0) { $0 + Int($1) }
        guard total > 0 else { return nil }
        let stride = max(1, total / 100_000)
        var sample: [Double] = []
        sample.reserveCapacity(total / stride + 1)
        var seen = 0
        for i in 0..<image.count where usable[i] != 0 {
            if seen % stride == 0 { sample.append(Double(image[i])) }
            seen += 1
        }
        sample.sort()
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

    /// Subtracts from every line (the fast-read direction) the 10th percentile of its usable pixels: a level
    /// inside the dark mode as long as at least a tenth of the line is dark, whatever the banding offset.
    public static func levelLines(_ image: inout [Float], usable: [UInt8], width: Int, height: Int, linesAlongY: Bool) {
        let lineCount = linesAlongY ? width : height, lineLength = linesAlongY ? height : width
        let along = linesAlongY ? width : 1, across = linesAlongY ? 1 : width
        // Lines are handled in blocks of 16 so that gathering DMS columns reads whole cache lines.
        let block = 16
        image.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            Parallel.forEach((lineCount + block - 1) / block) { blocks in
                var gathered = [Double](repeating: 0, count: block * lineLength)
                var counts = [Int](repeating: 0, count: block)
                var values: [Double] = []
                values.reserveCapacity(lineLength)
                for b in blocks {
                    let first = b * block, last = min(lineCount, first + block)
                    for j in 0..<block { counts[j] = 0 }
                    // Every fourth pixel: a percentile of ~500 samples is as good a level and costs a quarter.
                    gathered.withUnsafeMutableBufferPointer { g in
                        counts.withUnsafeMutableBufferPointer { c in
                            usable.withUnsafeBufferPointer { u in
                                let pixels = shared.base
                                for m in stride(from: 0, to: lineLength, by: 4) {
                                    for line in first..<last where u[line &* across &+ m &* along] != 0 {
                                        let j = line &- first
                                        g[j &* lineLength &+ c[j]] = Double(pixels[line &* across &+ m &* along])
                                        c[j] &+= 1
                                    }
                                }
                            }
                        }
                    }
                    for line in first..<last where counts[line - first] > 0 {
                        let j = line - first
                        values.removeAll(keepingCapacity: true)
                        values.append(contentsOf: gathered[(j * lineLength)..<(j * lineLength + counts[j])])
                        let level = Float(RobustStatistics.select(&values, values.count / 10))
                        for m in 0..<lineLength { shared[line &* across &+ m &* along] -= level }
                    }
                }
            }
        }
    }

    /// Binary dilation by a (2r+1)² square, as two separable running-count passes.
    static func dilate(_ mask: [UInt8], width: Int, height: Int, radius r: Int) -> [UInt8] {
        var rows = [UInt8](repeating: 0, count: mask.count)
        for y in 0..<height {
            let base = y * width
            var count = 0
            for x in 0..<min(r, width) { count += Int(mask[base + x]) }
            for x in 0..<width {
                if x + r < width { count += Int(mask[base + x + r]) }
                if x - r - 1 >= 0 { count -= Int(mask[base + x - r - 1]) }
                rows[base + x] = count > 0 ? 1 : 0
            }
        }
        var out = [UInt8](repeating: 0, count: mask.count)
        var counts = [Int](repeating: 0, count: width)
        for y in 0..<min(r, height) { for x in 0..<width { counts[x] += Int(rows[y * width + x]) } }
        for y in 0..<height {
            if y + r < height { for x in 0..<width { counts[x] += Int(rows[(y + r) * width + x]) } }
            if y - r - 1 >= 0 { for x in 0..<width { counts[x] -= Int(rows[(y - r - 1) * width + x]) } }
            for x in 0..<width { out[y * width + x] = counts[x] > 0 ? 1 : 0 }
        }
        return out
    }
}
