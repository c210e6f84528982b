import Foundation
import XXHash

/// The content fingerprint of a file: its XXH3-128 digest as 32 hex digits, the same as `xxh128sum` prints for it.
/// For telling one version of a file from another, not for security.
public enum ContentHash {
    /// Bytes read at a time from a file (the daemon hashes every candidate, however large, before it knows whether
    /// any step wants it).
    static let chunkSize = 4 << 20

    /// Fingerprint of the file at `path`, read in chunks.
    public static func of(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            // The reason open(2) gave, so that "permission denied" is not reported as a missing file.
            throw ContentHashError(path: path, code: errno != 0 ? errno : (FileManager.default.fileExists(atPath: path) ? EACCES : ENOENT))
        }
        defer { try? handle.close() }
        let hasher = XXH128.Hasher()
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            chunk.withUnsafeBytes(hasher.update)
        }
        return hasher.digest.description
    }

    /// Fingerprint of bytes already in memory: equal to `of(path:)` for a file holding them.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        XXH128(of: bytes).description
    }
}

/// A file that cannot be opened for hashing, with the system's reason (permission denied, no such file…).
public struct ContentHashError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32

    public var description: String { "\(path): \(String(cString: strerror(code)))" }
}
