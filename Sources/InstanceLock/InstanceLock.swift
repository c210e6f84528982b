import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// One process at a time for a resource: an exclusive `flock` on a lock file, held for the life of this object
/// and released by the kernel when the process dies however it dies (kill -9 included), so a stale lock file never
/// blocks a restart. The holder writes its PID into the file so that a refused process can say who holds it.
public final class InstanceLock: Sendable {
    private let descriptor: FileDescriptor
    public let path: String

    /// Takes the lock on `path` (created if missing) without waiting, and records this process's PID in it.
    /// Throws `InstanceLockError.held` when another process holds it.
    public init(path: String) throws {
        let descriptor = try FileDescriptor.open(
            FilePath(path), .readWrite, options: [.create, .closeOnExec],
            permissions: [.ownerReadWrite, .groupRead, .otherRead])
        guard flock(descriptor.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            let code = Errno(rawValue: errno)
            let holder = Self.recordedHolder(descriptor)
            try? descriptor.close()
            if code == .wouldBlock { throw InstanceLockError.held(path: path, holder: holder) }
            throw InstanceLockError.unavailable(path: path, reason: "\(code)")
        }
        do {
            _ = try descriptor.resize(to: 0)
            _ = try descriptor.writeAll(toAbsoluteOffset: 0, "\(getpid())\n".utf8)
        } catch {
            try? descriptor.close()
            throw InstanceLockError.unavailable(path: path, reason: "cannot record the PID: \(error)")
        }
        self.descriptor = descriptor
        self.path = path
    }

    deinit { try? descriptor.close() }

    /// The PID the holder wrote, if it has written one yet.
    private static func recordedHolder(_ descriptor: FileDescriptor) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = (try? bytes.withUnsafeMutableBytes { try descriptor.read(fromAbsoluteOffset: 0, into: $0) }) ?? 0
        return Int32(String(decoding: bytes.prefix(count), as: UTF8.self).trimmingWhitespace)
    }
}

/// Why an `InstanceLock` could not be taken.
public enum InstanceLockError: Error, CustomStringConvertible, Equatable {
    /// Another process holds the lock; `holder` is the PID it recorded.
    case held(path: String, holder: Int32?)
    /// The lock file cannot be opened or locked at all.
    case unavailable(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path, let holder):
            "another process (PID \(holder.map(String.init) ?? "unknown")) holds the lock \(path)"
        case .unavailable(let path, let reason):
            "cannot take the lock \(path): \(reason)"
        }
    }
}

private extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
