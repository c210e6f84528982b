import Platform

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

    /// `out = plane − model` in image layout, from the plane and its model in line layout; where `classes` marks a
    /// reference pixel the model is set to 0 (those pixels do not see the banding) and the plane is copied. The
    /// difference is made in place in `lines` (not needed after the fit) and then converted: both passes run over
    /// contiguous memory, which reading the model transposed inside the subtraction did not.
    func subtract(_ model: inout [Float], from lines: inout [Float], classes: PixelClasses?, into out: UnsafeMutableBufferPointer<Float>) {
        let count = size
        model.withUnsafeMutableBufferPointer { modelBuffer in
            lines.withUnsafeMutableBufferPointer { linesBuffer in
                let fitted = SharedBuffer(modelBuffer), values = SharedBuffer(linesBuffer)
                if let classes {
                    classes.lines.withUnsafeBufferPointer { c in
                        let flags = SharedBuffer(UnsafeMutableBufferPointer(mutating: c))
                        Parallel.forEach(count) { range in
                            for l in range {
                                let change = flags[l] & PixelClasses.reference == 0 ? fitted[l] : 0
                                fitted[l] = change
                                values[l] -= change
                            }
                        }
                    }
                } else {
                    Parallel.forEach(count) { range in
                        for l in range { values[l] -= fitted[l] }
                    }
                }
            }
        }
        toImage(lines, into: out)
    }
}
