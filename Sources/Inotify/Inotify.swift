import Foundation
import Glibc
import Platform
import SystemPackage

/// The kernel's inotify API: one instance, watches by directory, and a read that waits at most a timeout so the
/// caller's loop stays responsive. Handed to one thread and used there only.
public final class Inotify: @unchecked Sendable {
    private let descriptor: FileDescriptor
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)

    public init() throws(SystemCallError) {
        let raw = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard raw >= 0 else { throw SystemCallError.current("inotify_init1") }
        descriptor = FileDescriptor(rawValue: raw)
    }

    deinit { try? descriptor.close() }

    /// Adds (or updates) the watch on `path`; returns the watch descriptor.
    public func addWatch(_ path: String, mask: InotifyEvent.Kind) throws(SystemCallError) -> Int32 {
        let watch = inotify_add_watch(descriptor.rawValue, path, mask.rawValue)
        guard watch >= 0 else {
            let error = SystemCallError.current("inotify_add_watch \(path)")
            guard error.reason == .noSpace else { throw error }
            throw SystemCallError("inotify_add_watch \(path) (raise fs.inotify.max_user_watches)", error.reason)
        }
        return watch
    }

    public func removeWatch(_ watch: Int32) { inotify_rm_watch(descriptor.rawValue, watch) }

    /// Waits up to `timeoutMilliseconds` for events and returns those available (none on timeout).
    public func read(timeoutMilliseconds: Int32) -> [InotifyEvent] {
        var request = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, timeoutMilliseconds) > 0 else { return [] }
        let count = (try? buffer.withUnsafeMutableBytes { try descriptor.read(into: $0) }) ?? 0
        guard count > 0 else { return [] }
        var events: [InotifyEvent] = []
        buffer.withUnsafeBytes { raw in
            let headerSize = MemoryLayout<inotify_event>.size
            var offset = 0
            while offset + headerSize <= count {
                let header = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let nameBytes = raw[(offset + headerSize)..<min(count, offset + headerSize + Int(header.len))]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                events.append(InotifyEvent(watch: header.wd, mask: InotifyEvent.Kind(rawValue: header.mask), name: name))
                offset += headerSize + Int(header.len)
            }
        }
        return events
    }

    /// The kernel's per-user limits, for the startup log line.
    public static func limits() -> String {
        ["max_user_watches", "max_user_instances", "max_queued_events"].map { name in
            let value =
                (try? String(contentsOfFile: "/proc/sys/fs/inotify/\(name)", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            return "\(name)=\(value)"
        }.joined(separator: " ")
    }
}
