/// The bytes of one HDU as they go into a file: a range of a buffer (its own encoding, or the file it was read
/// from, see `HDUOrigin`). Every HDU is a self-contained run of 2880-byte blocks whose checksums cover only
/// itself, so a file is the concatenation of its HDUs' bytes.
struct HDUBytes: Sendable {
    let bytes: FileBytes
    let range: Range<Int>
}
