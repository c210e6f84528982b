/// The pixels of an image HDU left encoded in the bytes of the file it was read from, decoded when first asked
/// for.
///
/// A step often carries extensions it never looks at (NSClean reads SCI and DQ and passes ERR and three variance
/// planes through): decoding them would convert and allocate tens of megabytes only for the writer to copy the
/// original bytes back out (`HDUOrigin`). An HDU read with `decode: false` holds one of these instead of an
/// `AnyImage`; `HDU.image` still returns the pixels (decoding on every call), so a step that does read such an
/// extension gets the right values, only slower.
public struct DeferredImage: Sendable, Equatable {
    let bytes: FileBytes
    let index: Int
    let path: String
    /// Axis lengths, FITS order.
    public let axes: [Int]
    /// FITS BITPIX of the stored pixels.
    public let bitpix: Int

    /// The pixels, decoded from the file's bytes.
    public func decode() throws(FITSError) -> AnyImage {
        guard let image = try FITSFile(bytes: bytes, path: path).read(at: index, verifyChecksums: false).image else {
            throw FITSError(.invalidArgument, "HDU \(index) holds no image", file: path)
        }
        return image
    }

    public static func == (a: DeferredImage, b: DeferredImage) -> Bool { a.bytes === b.bytes && a.index == b.index }
}
