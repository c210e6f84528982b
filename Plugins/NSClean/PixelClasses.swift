import Pipeline
import Platform

/// What NSClean takes from a DQ plane, one byte per pixel in line layout: whether the pixel is kept out of the
/// background (`BackgroundMask.excludedQuality`) and whether it is a reference pixel, whose model is 0.
///
/// The passes that need these (the usable mask, the subtraction) then read contiguous memory. Reading DQ in image
/// layout inside those passes, transposed on the fly, cost about 5 ns per pixel each: a strided access per pixel
/// and a call per 64-pixel run, against one contiguous pass over DQ and one byte transpose here.
struct PixelClasses: Sendable {
    static let excluded: UInt8 = 1
    static let reference: UInt8 = 2

    /// One byte per pixel, line layout: `excluded` and `reference` bits.
    let lines: [UInt8]

    init(quality: ArraySlice<UInt32>, layout: LineLayout) {
        let excludedBits = BackgroundMask.excludedQuality.rawValue, referenceBit = DataQuality.referencePixel.rawValue
        let count = quality.count
        let image = [UInt8](hugePagesCount: count) { out in
            let output = SharedBuffer(out)
            quality.withUnsafeBufferPointer { q in
                let flags = SharedBuffer(UnsafeMutableBufferPointer(mutating: q))
                Parallel.forEach(count) { range in
                    for i in range {
                        let flag = flags[i]
                        output[i] = (flag & excludedBits != 0 ? Self.excluded : 0) | (flag & referenceBit != 0 ? Self.reference : 0)
                    }
                }
            }
        }
        lines = layout.toLines(image[...])
    }
}
