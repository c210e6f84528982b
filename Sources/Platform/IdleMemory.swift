import CMalloc
import Glibc
import SystemPackage

/// Gives memory back to the system once nothing runs or is being taken.
///
/// glibc keeps freed blocks in its per-thread arenas for reuse, so a daemon idle after a few programs held
/// 118–229 MB it no longer used: `release` trims them, at every lull. After three programs with the arenas
/// trimmed, most of what stays resident is file-backed: the pages of the binary's and the libraries' code and
/// read-only data that the work touched (53.5 MB of 65.7 MB). `releaseFilePages` hands those back, once the daemon
/// has been idle a while (they come back from the page cache, or the disk, when next used).
public enum IdleMemory {
    public static func release() { _ = malloc_trim(0) }

    /// Asks the kernel to reclaim this process's resident pages of read-only file mappings (MADV_PAGEOUT, Linux 5.4):
    /// clean pages, so nothing is written or lost; pages other processes map too are left alone by the kernel.
    /// Returns how many mappings were advised; 0 where the kernel refuses the advice.
    @discardableResult
    public static func releaseFilePages() -> Int {
        guard let maps = try? contents(of: "/proc/self/maps") else { return 0 }
        var advised = 0
        for line in maps.split(separator: UInt8(ascii: "\n")) {
            guard let mapping = ReadOnlyFileMapping(line) else { continue }
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), mapping.end - mapping.start, pageOut) == 0 { advised += 1 }
        }
        return advised
    }

    /// MADV_PAGEOUT from the kernel's headers; Swift's Glibc module does not export it.
    private static let pageOut: Int32 = 21

    private static func contents(of path: String) throws -> [UInt8] {
        let file = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
        return try file.closeAfter {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let read = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
                if read == 0 { return bytes }
                bytes += chunk[..<read]
            }
        }
    }
}

/// One line of /proc/self/maps that maps a file without write permission (code, read-only data); nil otherwise.
private struct ReadOnlyFileMapping {
    let start: Int
    let end: Int

    init?(_ line: ArraySlice<UInt8>) {
        // start-end perms offset device inode path
        let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count == 6, fields[1].count == 4, fields[1][fields[1].startIndex + 1] == UInt8(ascii: "-"),
            fields[4] != [UInt8(ascii: "0")], fields[5].drop(while: { $0 == UInt8(ascii: " ") }).first == UInt8(ascii: "/")
        else { return nil }
        let range = fields[0].split(separator: UInt8(ascii: "-"))
        guard range.count == 2, let start = Int(String(decoding: range[0], as: UTF8.self), radix: 16),
            let end = Int(String(decoding: range[1], as: UTF8.self), radix: 16), end > start
        else { return nil }
        self.start = start
        self.end = end
    }
}
