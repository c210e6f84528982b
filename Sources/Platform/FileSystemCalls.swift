import Glibc
import SystemPackage

/// The file-system calls that swift-system does not offer, in its style: paths as `FilePath`, failures as `Errno`.
extension FileDescriptor {
    /// Flushes the file's data and metadata to the disk (fsync).
    public func sync() throws(Errno) {
        guard fsync(rawValue) == 0 else { throw Errno(rawValue: errno) }
    }
}

extension FilePath {
    /// Renames this path to `destination`, atomically replacing a file already there (rename).
    public func rename(to destination: FilePath) throws(Errno) {
        let done = withPlatformString { source in destination.withPlatformString { Glibc.rename(source, $0) } }
        guard done == 0 else { throw Errno(rawValue: errno) }
    }

    /// Removes the directory entry (unlink).
    public func unlink() throws(Errno) {
        guard withPlatformString({ Glibc.unlink($0) }) == 0 else { throw Errno(rawValue: errno) }
    }

    /// The absolute path with every symbolic link, `.` and `..` resolved (realpath), or nil when a part is missing.
    public func resolved() -> FilePath? {
        guard let pointer = withPlatformString({ realpath($0, nil) }) else { return nil }
        defer { free(pointer) }
        return FilePath(platformString: pointer)
    }
}
