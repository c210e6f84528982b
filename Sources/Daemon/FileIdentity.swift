import SystemPackage

/// Which version of which file: device and inode say which file, size and modification time say which version.
/// The content hash, kept beside it in the state database, catches a re-download of the same bytes.
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modificationNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modificationNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modificationNanoseconds = modificationNanoseconds
    }

    /// The identity of the file `path` leads to (symbolic links followed), or nil when it is not a regular file.
    public static func of(_ path: String) -> FileIdentity? {
        guard let info = try? FilePath(path).stat(), info.type == .regular else { return nil }
        return FileIdentity(info)
    }

    init(_ info: Stat) {
        self.init(
            device: UInt64(info.deviceID.rawValue), inode: UInt64(info.inode.rawValue), size: info.size,
            modificationNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// Modification time in seconds since the epoch.
    public var modificationTime: Double { Double(modificationNanoseconds) / 1e9 }

    public var description: String { "dev \(device) inode \(inode) size \(size) mtime \(modificationNanoseconds)ns" }
}

/// What kind of directory entry a path is, without following a final symbolic link.
enum EntryType {
    case regular, directory, symbolicLink, other, missing

    static func of(_ path: String) -> EntryType {
        guard let info = try? FilePath(path).stat(followTargetSymlink: false) else { return .missing }
        switch info.type {
        case .regular: return .regular
        case .directory: return .directory
        case .symbolicLink: return .symbolicLink
        default: return .other
        }
    }
}

extension FileIdentity {
    /// The longest path the system opens (Linux's PATH_MAX, 4096, less its terminating zero): a longer one fails
    /// with ENAMETOOLONG.
    static let longestPath = 4095

    /// The identity of the entry `name` in `directory`, not following a symbolic link, found through the directory:
    /// works where `directory/name` is longer than the system opens.
    static func ofEntry(named name: String, in directory: String) -> FileIdentity? {
        guard let folder = try? FileDescriptor.open(FilePath(directory), .readOnly, options: [.directory, .closeOnExec]) else { return nil }
        defer { try? folder.close() }
        return (try? Stat(FilePath(name), relativeTo: folder, flags: .symlinkNoFollow)).map(FileIdentity.init)
    }

    /// The identity of a symbolic link itself (not its target), for recording a refused link.
    static func ofLink(_ path: String) -> FileIdentity? {
        (try? FilePath(path).stat(followTargetSymlink: false)).map(FileIdentity.init)
    }
}
