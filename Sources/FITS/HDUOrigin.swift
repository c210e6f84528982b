/// Where an unchanged HDU came from: the bytes it occupied in the file it was read from, from the first header
/// block to the end of its padded data, with a CHECKSUM and DATASUM that were verified when it was read.
///
/// A product usually carries most of its input's extensions untouched (NSClean changes SCI and keeps ERR, DQ and
/// the variances). `FITSWriter` copies such HDUs verbatim instead of converting their pixels back to big-endian
/// and summing them again; `HDU` drops its origin on any change to its header or payload.
public struct HDUOrigin: Sendable {
    let bytes: FileBytes
    let range: Range<Int>
    /// Whether the HDU was the primary one: a primary HDU's bytes cannot stand as an extension, nor the reverse.
    let wasPrimary: Bool
}
