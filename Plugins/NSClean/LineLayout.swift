import Numerics

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

    var lineCount: Int { linesAlongY ? width : height }
    var lineLength: Int { linesAlongY ? height : width }
    var size: Int { width * height }
    /// True when DMS x, the dispersion direction along which traces run, steps from line to line.
    var dispersionAcrossLines: Bool { linesAlongY }

    /// One image plane in line layout.
    func toLines<T>(_ plane: ArraySlice<T>) -> [T] {
        guard linesAlongY else { return Array(plane) }
        return [T](unsafeUninitializedCapacity: size) { lines, initialised in
            plane.withUnsafeBufferPointer { Transpose.toLines($0, width: width, height: height, into: lines) }
            initialised = size
        }
    }

    /// One plane in line layout back in image layout.
    func toImage<T>(_ lines: [T]) -> [T] {
        guard linesAlongY else { return lines }
        return [T](unsafeUninitializedCapacity: size) { image, initialised in
            toImage(lines, into: image)
            initialised = size
        }
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
}
