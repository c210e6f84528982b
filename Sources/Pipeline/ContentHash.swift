import Foundation
import Platform
import SystemPackage
import XXHash

/// The content fingerprint of a file: its XXH3-128 digest as 32 hex digits, the same as `xxh128sum` prints for it.
/// For telling one version of a file from another, not for security.
public enum ContentHash {
    /// Bytes read at a time from a file (the daemon hashes every candidate, however large, before it knows whether
    /// any step wants it).
    static let chunkSize = 4 << 20

    /// Fingerprint of the file at `path`, read in chunks.
    public static func of(path: String) throws -> String {
        // The reason open(2) gave, so that "permission denied" is not reported as a missing file.
        let descriptor = try SystemCallError.naming(path) { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
        let handle = FileHandle(fileDescriptor: descriptor.rawValue, closeOnDealloc: true)
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
