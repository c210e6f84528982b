import Foundation

/// A fast 64-bit content fingerprint of a file (FNV-1a over 8-byte words, then the tail bytes): for telling one
/// version of a file from another, not for security.
public enum ContentHash {
    public static func of(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
            chunk.withUnsafeBytes { raw in
                let words = raw.count / 8
                for i in 0..<words {
                    hash = (hash ^ raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* prime
                }
                for i in (words * 8)..<raw.count { hash = (hash ^ UInt64(raw[i])) &* prime }
            }
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
