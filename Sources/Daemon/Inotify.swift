#if canImport(Glibc)
import Glibc
#endif

/// One inotify event as the kernel reports it.
struct InotifyEvent {
    var watch: Int32
    var mask: UInt32
    /// The entry name inside the watched directory; empty for events about the directory itself.
    var name: String

    func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }
}

/// A thin wrapper over the kernel's inotify API (Glibc): one instance, watches by directory, and a read that
/// waits at most a timeout so the caller's loop stays responsive. Handed to the watcher thread and used there only.
final class Inotify: @unchecked Sendable {
    let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)

    init() throws(WatcherError) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatcherError.system("inotify_init1") }
    }

    deinit { close(descriptor) }

    /// Adds (or updates) the watch on `path`; returns the watch descriptor.
    func addWatch(_ path: String, mask: UInt32) throws(WatcherError) -> Int32 {
        let watch = inotify_add_watch(descriptor, path, mask)
        guard watch >= 0 else { throw WatcherError.system("inotify_add_watch \(path)") }
        return watch
    }

    func removeWatch(_ watch: Int32) { inotify_rm_watch(descriptor, watch) }

    /// Waits up to `timeoutMilliseconds` for events and returns those available (none on timeout).
    func read(timeoutMilliseconds: Int32) -> [InotifyEvent] {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, timeoutMilliseconds) > 0 else { return [] }
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return [] }
        var events: [InotifyEvent] = []
        buffer.withUnsafeBytes { raw in
            let headerSize = MemoryLayout<inotify_event>.size
            var offset = 0
            while offset + headerSize <= count {
                let header = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let nameBytes = raw[(offset + headerSize)..<min(count, offset + headerSize + Int(header.len))]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                events.append(InotifyEvent(watch: header.wd, mask: header.mask, name: name))
                offset += headerSize + Int(header.len)
            }
        }
        return events
    }

    /// The kernel's per-user limits, for the startup log line.
    static func limits() -> String {
        ["max_user_watches", "max_user_instances", "max_queued_events"].map { name in
            let value = (try? String(contentsOfFile: "/proc/sys/fs/inotify/\(name)", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            return "\(name)=\(value)"
        }.joined(separator: " ")
    }
}

/// A watch that could not be set up, with the system's reason.
public struct WatcherError: Error, CustomStringConvertible, Sendable {
    public let description: String

    static func system(_ what: String) -> WatcherError {
        let code = errno
        var text = "\(what): \(String(cString: strerror(code)))"
        if code == ENOSPC { text += " (raise fs.inotify.max_user_watches)" }
        return WatcherError(description: text)
    }
}

import Foundation
