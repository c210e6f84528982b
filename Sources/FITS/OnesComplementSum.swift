/// The FITS checksum arithmetic (FITS standard 4.0, appendix J): the 32-bit ones'-complement sum of a run of
/// 2880-byte blocks read as big-endian words.
///
/// cfitsio verifies a stored CHECKSUM/DATASUM by byte-swapping each block into a scratch buffer and summing
/// 16-bit halves, about 8 ms per 16 MB image here; every input HDU is verified, so that was a fifth of reading
/// a rate file. Here no word is byte-swapped at all. The sum is arithmetic modulo 2³² − 1, where a rotation is a
/// multiplication by a power of two: a big-endian word is its little-endian reading with the bytes of each
/// 16-bit half swapped, then rotated by 16 bits. So the words are summed as read, their even and odd bytes in two
/// masked accumulators (and, shift, add: vector instructions any x86-64 has, where a byte swap is not), and
/// the swap and rotation are applied once to the total.
enum OnesComplementSum {
    /// Words (8-byte pairs of FITS words) per masked partial sum: each masked word is below 2⁵⁶, so 256 of them
    /// cannot overflow 64 bits.
    private static let block = 256
    private static let evenBytes: UInt64 = 0x00FF_00FF_00FF_00FF

    /// The sum of `bytes` (a whole number of 4-byte words; FITS blocks always are).
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        precondition(bytes.count % 4 == 0, "checksummed bytes must be whole 32-bit words")
        let pairs = bytes.count / 8
        // Σ of the little-endian readings with the bytes of each 16-bit half swapped, modulo 2³² − 1 (a 64-bit
        // word hi·2³² + lo is hi + lo there).
        var swapped: UInt64 = 0
        var start = 0
        while start < pairs {
            let end = min(pairs, start &+ block)
            var high: UInt64 = 0, low: UInt64 = 0
            for i in start..<end {
                let word = bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)
                low &+= word & evenBytes
                high &+= (word >> 8) & evenBytes
            }
            swapped = fold(swapped &+ fold(fold(low) << 8) &+ fold(high))
            start = end
        }
        // Rotating by 16 bits turns the half-swapped sum into the big-endian one.
        let halves = UInt32(fold(swapped))
        var sum = UInt64((halves << 16) | (halves >> 16))
        if pairs &* 8 < bytes.count {
            sum &+= UInt64(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: pairs &* 8, as: UInt32.self)))
        }
        return UInt32(fold(sum))
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
