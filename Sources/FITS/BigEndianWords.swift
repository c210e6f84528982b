import CFITSIO
import Platform

/// Image data stored as plain big-endian words, decoded straight from a file's bytes in one pass on all cores, and
/// encoded back a chunk at a time (`LargeImageEncoder` spreads the chunks over the cores).
///
/// cfitsio reads such data by copying it out of its buffers and then swapping the bytes in place, both on the
/// calling thread: for a full-frame rate file's SCI and DQ (32 MB) that was a tenth of a cleaning run's CPU time.
/// Only the layouts that need no arithmetic go this way; scaled, compressed or converted data stay with cfitsio.
enum BigEndianWords {
    /// How pixels of cfitsio image type `imageType` are stored without conversion: the BITPIX, the BZERO (the
    /// unsigned convention: 2^(n−1) on a signed word, which is a flip of its sign bit) and that flip.
    static func storage(of imageType: Int32) -> (bitpix: Int32, zero: Double, flip: UInt64)? {
        switch imageType {
        case BYTE_IMG: (8, 0, 0)
        case SHORT_IMG: (16, 0, 0)
        case USHORT_IMG: (16, 32768, 0x8000)
        case LONG_IMG: (32, 0, 0)
        case ULONG_IMG: (32, 2_147_483_648, 0x8000_0000)
        case LONGLONG_IMG: (64, 0, 0)
        case FLOAT_IMG: (-32, 0, 0)
        case DOUBLE_IMG: (-64, 0, 0)
        default: nil
        }
    }

    /// Decodes `destination.count` words of `P`'s size from `source` (any alignment), flipping `flip`'s bits.
    static func decode<P: BitwiseCopyable>(_ source: UnsafeRawPointer, into destination: UnsafeMutableBufferPointer<P>, flip: UInt64) {
        switch MemoryLayout<P>.stride {
        case 1: UnsafeMutableRawBufferPointer(destination).copyMemory(from: UnsafeRawBufferPointer(start: source, count: destination.count))
        case 2: words(UInt16.self, source, destination, flip: UInt16(truncatingIfNeeded: flip))
        case 4: words(UInt32.self, source, destination, flip: UInt32(truncatingIfNeeded: flip))
        default: words(UInt64.self, source, destination, flip: flip)
        }
    }

    /// Encodes the native pixels of `bytesPerPixel` bytes in `source` as big-endian words at `destination` (any
    /// alignment), flipping `flip`'s bits, on the calling thread: the inverse of `decode`.
    static func encode(_ source: UnsafeRawBufferPointer, bytesPerPixel: Int, into destination: UnsafeMutableRawPointer, flip: UInt64) {
        guard let from = source.baseAddress else { return }
        let count = source.count / bytesPerPixel
        switch bytesPerPixel {
        case 1: destination.copyMemory(from: from, byteCount: count)
        case 2: encodedWords(UInt16.self, from, count, destination, flip: UInt16(truncatingIfNeeded: flip))
        case 4: encodedWords(UInt32.self, from, count, destination, flip: UInt32(truncatingIfNeeded: flip))
        default: encodedWords(UInt64.self, from, count, destination, flip: flip)
        }
    }

    private static func encodedWords<W: FixedWidthInteger & UnsignedInteger>(
        _ word: W.Type, _ from: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutableRawPointer, flip: W
    ) {
        let size = MemoryLayout<W>.size
        for i in 0..<count {
            let offset = i &* size
            destination.storeBytes(of: (from.load(fromByteOffset: offset, as: W.self) ^ flip).bigEndian, toByteOffset: offset, as: W.self)
        }
    }

    private static func words<W: FixedWidthInteger & UnsignedInteger & Sendable, P>(
        _ word: W.Type, _ source: UnsafeRawPointer,
        _ destination: UnsafeMutableBufferPointer<P>, flip: W
    ) {
        // The source as an address: a raw pointer cannot cross into the workers' closure.
        let address = Int(bitPattern: source)
        let output = SharedBuffer(UnsafeMutableRawBufferPointer(destination).bindMemory(to: W.self))
        Parallel.forEach(destination.count) { range in
            let from = UnsafeRawPointer(bitPattern: address)!, to = output.base
            for i in range { to[i] = W(bigEndian: from.loadUnaligned(fromByteOffset: i &* MemoryLayout<W>.size, as: W.self)) ^ flip }
        }
    }
}
