import Platform
import SystemPackage
import XXHash

/// The content fingerprint of a file: its XXH3-128 digest as 32 hex digits, the same as `xxh128sum` prints for it.
/// For telling one version of a file from another, not for security.
public enum ContentHash {
    /// Bytes read at a time from a file (the daemon hashes every candidate, however large, before it knows whether
    /// any step wants it).
    static let chunkSize = 4 << 20

    /// Fingerprint of the file at `path`, read in chunks into one buffer no larger than the file needs (intake
    /// hashes thousands of small files; a 4 MiB buffer each would be mostly untouched allocations).
    public static func of(path: String) throws -> String {
        // The reason open(2) gave, so that "permission denied" is not reported as a missing file.
        let file = try SystemCallError.naming(path) { try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) }
        return try file.closeAfter {
            let size = try file.seek(offset: 0, from: .end)
            try file.seek(offset: 0, from: .start)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(min(Int64(chunkSize), size + 1)), alignment: 64)
            defer { buffer.deallocate() }
            let hasher = XXH128.Hasher()
            while true {
                let read = try file.read(into: buffer)
                if read == 0 { break }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<read]))
            }
            return hasher.digest.description
        }
    }

    /// Fingerprint of bytes already in memory: equal to `of(path:)` for a file holding them.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        XXH128(of: bytes).description
    }
}
