import Foundation
import Logging
import Pipeline

/// Brings the content hashes an earlier Webbflow recorded (FNV-1a 64, 16 hex digits) to the current XXH3-128, so
/// that duplicates are still recognised across the upgrade. A version still on disk unchanged is hashed again; one
/// that changed or is gone cannot be, and its hash is kept under a prefix no current hash has, so it shadows nothing.
enum ContentHashMigration {
    /// Length of the hashes the earlier code wrote.
    static let earlierLength = 16
    /// Marks an earlier hash that could not be recomputed.
    static let retiredPrefix = "fnv1a64:"

    static func run(store: StateStore, logger: Logger) throws {
        let earlier = try store.filesWithHash(ofLength: earlierLength)
        guard !earlier.isEmpty else { return }
        var recomputed = 0, retired = 0
        for file in earlier {
            var current: String?
            if FileIdentity.of(file.path) == file.identity { current = try? ContentHash.of(path: file.path) }
            // Hashed, and still the same version afterwards: the new hash belongs to the recorded version.
            if let current, FileIdentity.of(file.path) == file.identity {
                try store.replaceHash(of: file.id, with: current)
                recomputed += 1
            } else {
                try store.replaceHash(of: file.id, with: retiredPrefix + file.hash)
                retired += 1
            }
        }
        logger.notice(
            "content hashes of an earlier version migrated to XXH3-128: \(recomputed) recomputed, \(retired) retired (files changed or gone)"
        )
    }
}

extension StateStore {
    /// A recorded file version, by its row.
    struct RecordedFile {
        let id: Int64
        let path: String
        let identity: FileIdentity
        let hash: String
    }

    /// The file versions whose recorded hash has `length` characters.
    func filesWithHash(ofLength length: Int) throws -> [RecordedFile] {
        try database.withLock { db in
            try db.query("SELECT id, path, device, inode, size, mtime_ns, hash FROM files WHERE length(hash) = ?", [.int(length)])
                .compactMap { row in
                    guard case .integer(let id) = row[0], let path = row[1].string, case .integer(let device) = row[2],
                        case .integer(let inode) = row[3], case .integer(let size) = row[4], case .integer(let mtime) = row[5],
                        let hash = row[6].string
                    else { return nil }
                    return RecordedFile(
                        id: id, path: path,
                        identity: FileIdentity(
                            device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode),
                            size: size, modificationNanoseconds: mtime), hash: hash)
                }
        }
    }

    func replaceHash(of id: Int64, with hash: String) throws {
        try database.withLock { db in try db.query("UPDATE files SET hash = ? WHERE id = ?", [.text(hash), .integer(id)]) }
    }
}
