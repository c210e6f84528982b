import Foundation

/// A fast 64-bit content fingerprint of a file (FNV-1a over 8-byte words, then the tail bytes): for telling one
/// version of a file from another, not for security.
public enum ContentHash {
    /// Fingerprint of the file at `path`, read in 4 MiB chunks (the daemon hashes every candidate, however large,
    /// before it knows whether any step wants it).
    public static func of(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var state = State()
        while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
            chunk.withUnsafeBytes { state.add($0) }
        }
        return state.text
    }

    /// Fingerprint of bytes already in memory: equal to `of(path:)` for a file holding them.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        var state = State()
        state.add(bytes)
        return state.text
    }

    /// The running hash. Chunks must be multiples of 8 bytes except the last, so that words never straddle two.
    private struct State {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        static let prime: UInt64 = 0x0000_0100_0000_01b3

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            let words = bytes.count / 8
            for i in 0..<words {
                hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* Self.prime
            }
            for i in (words * 8)..<bytes.count { hash = (hash ^ UInt64(bytes[i])) &* Self.prime }
        }

        var text: String { String(hash, radix: 16).leftPadded(to: 16) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
