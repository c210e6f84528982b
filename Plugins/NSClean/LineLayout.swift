import Numerics
import Pipeline

/// Where the detector lines (the fast-read direction) lie in an image plane, and the conversion between the
/// image layout (`pixels[y * width + x]`) and the line layout every NSClean pass works in
/// (`lines[line * lineLength + m]`, each line contiguous).
///
/// The cleaner converts the science plane and its usable-pixel mask once, builds the background mask and fits
/// in line layout, and converts only the model and mask back: for NIRSpec, whose lines are DMS columns, that is
/// four transposes per plane instead of one pair per pass.
struct LineLayout: Sendable, Equatable {
    let width: Int
    let height: Int
    /// True when lines run along DMS y (NIRSpec, |FASTAXIS| = 2).
    let linesAlongY: Bool

    /// `count` lines of `length` values, for planes that exist only in line layout (binned ones).
    static func lines(_ count: Int, of length: Int) -> LineLayout { LineLayout(width: count, height: length, linesAlongY: true) }

    var lineCount: Int { linesAlongY ? width : height }
    var lineLength: Int { linesAlongY ? height : width }
    var size: Int { width * height }
    /// True when DMS x, the dispersion direction along which traces run, steps from line to line.
    var dispersionAcrossLines: Bool { linesAlongY }

    /// One image plane in line layout.
    func toLines<T: BitwiseCopyable>(_ plane: ArraySlice<T>) -> [T] {
        guard linesAlongY else { return Array(plane) }
        return [T](hugePagesCount: size) { lines in
            plane.withUnsafeBufferPointer { Transpose.toLines($0, width: width, height: height, into: lines) }
        }
    }

    /// One plane in line layout back in image layout.
    func toImage<T: BitwiseCopyable>(_ lines: [T]) -> [T] {
        guard linesAlongY else { return lines }
        return [T](hugePagesCount: size) { image in toImage(lines, into: image) }
    }

    /// One plane in line layout written in image layout into `image` (`size` elements).
    func toImage<T>(_ lines: [T], into image: UnsafeMutableBufferPointer<T>) {
        lines.withUnsafeBufferPointer { source in
            if linesAlongY {
                Transpose.toImage(source, width: width, height: height, into: image)
            } else {
                _ = image.initialize(from: source)
            }
        }
    }

    /// Visits every pixel of a plane on all cores, in runs: `body(image, line, count, lineStep)` covers `count`
    /// pixels at image indices `image, image + 1, …` and line indices `line, line + lineStep, …`.
    func forEachRun(_ body: @Sendable (_ image: Int, _ line: Int, _ count: Int, _ lineStep: Int) -> Void) {
        if linesAlongY {
            let step = height
            Transpose.walk(width: width, height: height) { image, line, count in body(image, line, count, step) }
        } else {
            Parallel.forEach(size) { range in body(range.lowerBound, range.lowerBound, range.count, 1) }
        }
    }

    /// `out = plane − model`, the model (line layout) read transposed in the same pass; where `quality` flags a
    /// reference pixel the model is set to 0 (those pixels do not see the banding) and the plane is copied.
    func subtract(_ model: inout [Float], from plane: ArraySlice<Float>, quality: ArraySlice<UInt32>?,
                  into out: UnsafeMutableBufferPointer<Float>) {
        let reference = DataQuality.referencePixel.rawValue
        model.withUnsafeMutableBufferPointer { modelBuffer in
            plane.withUnsafeBufferPointer { planeBuffer in
                let lines = SharedBuffer(modelBuffer), image = SharedBuffer(UnsafeMutableBufferPointer(mutating: planeBuffer))
                let output = SharedBuffer(out)
                func run(_ flags: SharedBuffer<UInt32>?) {
                    forEachRun { first, firstLine, count, step in
                        var l = firstLine
                        for i in first..<(first &+ count) {
                            if let flags, flags[i] & reference != 0 { lines[l] = 0 }
                            output[i] = image[i] - lines[l]
                            l &+= step
                        }
                    }
                }
                if let quality {
                    quality.withUnsafeBufferPointer { run(SharedBuffer(UnsafeMutableBufferPointer(mutating: $0))) }
                } else {
                    run(nil)
                }
            }
        }
    }
}
