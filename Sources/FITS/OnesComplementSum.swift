/// The FITS checksum arithmetic (FITS standard 4.0, appendix J): the 32-bit ones'-complement sum of a run of
/// 2880-byte blocks read as big-endian words.
///
/// cfitsio verifies a stored CHECKSUM/DATASUM by byte-swapping each block into a scratch buffer and summing
/// 16-bit halves, about 8 ms per 16 MB image here; every input HDU is verified, so that was a fifth of reading
/// a rate file. Summing the words into a 64-bit accumulator and folding the carries once at the end gives the
/// same sum and vectorises (the sum of 2³² words cannot overflow 64 bits).
enum OnesComplementSum {
    /// The sum of `bytes` (a whole number of 4-byte words; FITS blocks always are).
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        precondition(bytes.count % 4 == 0, "checksummed bytes must be whole 32-bit words")
        let words = bytes.count / 4
        var total: UInt64 = 0
        // Chunks keep each partial sum far from overflow whatever the length.
        var start = 0
        while start < words {
            let end = min(words, start &+ (1 << 30))
            var partial: UInt64 = 0
            for i in start..<end {
                partial &+= UInt64(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
            }
            total = fold(total &+ fold(partial))
            start = end
        }
        return UInt32(fold(total))
    }

    /// Ones'-complement addition of two sums.
    static func add(_ a: UInt32, _ b: UInt32) -> UInt32 { UInt32(fold(UInt64(a) &+ UInt64(b))) }

    /// Equality of sums: 0 and 0xFFFFFFFF are the two zeros of ones'-complement arithmetic.
    static func equal(_ a: UInt32, _ b: UInt32) -> Bool { a == b || (a | b == .max && (a == 0 || b == 0)) }

    /// Adds the carries above bit 31 back in until none is left (end-around carry).
    private static func fold(_ value: UInt64) -> UInt64 {
        var v = value
        while v >> 32 != 0 { v = (v & 0xFFFF_FFFF) &+ (v >> 32) }
        return v
    }
}
