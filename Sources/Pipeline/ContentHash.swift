import FITS

/// A fast 64-bit content fingerprint of a file (FNV-1a over 8-byte words, then the tail bytes): for telling one
/// version of a file from another, not for security.
public enum ContentHash {
    /// Fingerprint of the file at `path`.
    public static func of(path: String) throws -> String {
        try FileBytes(contentsOf: path).withUnsafeBytes(of)
    }

    /// Fingerprint of bytes already in memory (equal to `of(path:)` for the same file contents).
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        let words = bytes.count / 8
        for i in 0..<words {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* prime
        }
        for i in (words * 8)..<bytes.count { hash = (hash ^ UInt64(bytes[i])) &* prime }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
