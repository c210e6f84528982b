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
///
/// Large planes are advised for transparent huge pages (`HugePages`), and that advice stays on the allocator's
/// arenas after the planes are freed: the kernel's khugepaged then collapses what the trim gave back into whole
/// 2 MiB pages again (it fills a huge page even if 1 of its 512 small pages is in use), so the idle daemon kept
/// 76 MB of 89 MB anonymous memory in advised areas after three programs. `release` withdraws the advice first.
public enum IdleMemory {
    /// Gives freed heap memory back: the huge-page advice is withdrawn from every anonymous writable mapping, then
    /// glibc's arenas are trimmed. Call only when no job runs (a running job's planes would lose their advice; they
    /// keep their pages and only fault more slowly).
    public static func release() {
        withdrawHugePageAdvice()
        _ = malloc_trim(0)
    }

    /// Withdraws `MADV_HUGEPAGE` from the anonymous private writable mappings (arenas, where freed planes lie).
    /// Returns how many mappings were advised.
    @discardableResult
    static func withdrawHugePageAdvice() -> Int {
        advise(mappings { $0.isAnonymousWritable }, MADV_NOHUGEPAGE)
    }

    /// Asks the kernel to reclaim this process's resident pages of read-only file mappings (MADV_PAGEOUT, Linux 5.4):
    /// clean pages, so nothing is written or lost; pages other processes map too are left alone by the kernel.
    /// Returns how many mappings were advised; 0 where the kernel refuses the advice.
    @discardableResult
    public static func releaseFilePages() -> Int {
        advise(mappings { $0.isReadOnlyFile }, pageOut)
    }

    private static func mappings(where keep: (MemoryMapping) -> Bool) -> [MemoryMapping] {
        guard let maps = try? contents(of: "/proc/self/maps") else { return [] }
        return maps.split(separator: UInt8(ascii: "\n")).compactMap(MemoryMapping.init).filter(keep)
    }

    private static func advise(_ mappings: [MemoryMapping], _ advice: Int32) -> Int {
        mappings.filter { madvise(UnsafeMutableRawPointer(bitPattern: $0.start), $0.end - $0.start, advice) == 0 }.count
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

/// One line of /proc/self/maps: an address range, its permissions and what it maps.
private struct MemoryMapping {
    let start: Int
    let end: Int
    /// `rwxp`-style permissions.
    let permissions: [UInt8]
    /// The mapped file's path, or a pseudo-name such as `[heap]`, or empty for anonymous memory.
    let name: Substring
    /// Whether the mapping is backed by a file's inode.
    let hasInode: Bool

    /// Code and read-only data of a file (not writable, backed by an inode).
    var isReadOnlyFile: Bool { permissions[1] == UInt8(ascii: "-") && hasInode && name.first == "/" }
    /// Private writable memory backed by no file: the heap, malloc's arenas and large blocks.
    var isAnonymousWritable: Bool {
        permissions[1] == UInt8(ascii: "w") && permissions[3] == UInt8(ascii: "p") && !hasInode && (name.isEmpty || name == "[heap]")
    }

    init?(_ line: ArraySlice<UInt8>) {
        // start-end perms offset device inode [path]
        let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, fields[1].count == 4 else { return nil }
        let range = fields[0].split(separator: UInt8(ascii: "-"))
        guard range.count == 2, let start = Int(String(decoding: range[0], as: UTF8.self), radix: 16),
            let end = Int(String(decoding: range[1], as: UTF8.self), radix: 16), end > start
        else { return nil }
        self.start = start
        self.end = end
        permissions = Array(fields[1])
        let path = fields.count == 6 ? String(decoding: fields[5], as: UTF8.self).drop(while: { $0 == " " }) : ""
        name = path
        hasInode = fields[4] != [UInt8(ascii: "0")]
    }
}
