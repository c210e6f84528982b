#if canImport(Glibc)
import Glibc
#endif

/// Transparent huge pages for large fresh buffers.
///
/// Every 4 KiB page of newly allocated memory costs a page fault on first touch; on a virtual machine a full-frame
/// step spends a quarter of its CPU time there. With the system's THP policy at "madvise" (the Debian default), a
/// buffer advised before its first write is faulted in 2 MiB at a time: 512 times fewer faults.
public enum HugePages {
    /// Size of one huge page.
    public static let size = 2 << 20

    /// Advises the kernel to back the whole huge pages inside `bytes` bytes at `start` with huge pages. Advice only:
    /// without THP the memory is simply made of small pages. Call on fresh memory before writing it.
    public static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        let first = (Int(bitPattern: start) + size - 1) / size * size
        let end = (Int(bitPattern: start) + bytes) / size * size
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        #if canImport(Glibc)
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
        #endif
    }
}

extension Array where Element: BitwiseCopyable {
    /// An array of `count` elements that `fill` must initialise completely, its storage advised for huge pages
    /// first (`HugePages`): for the large planes that steps create and fill once.
    public init(hugePagesCount count: Int, fill: (UnsafeMutableBufferPointer<Element>) throws -> Void) rethrows {
        try self.init(unsafeUninitializedCapacity: count) { buffer, initialised in
            if let base = buffer.baseAddress {
                HugePages.advise(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<Element>.stride)
            }
            try fill(buffer)
            initialised = count
        }
    }
}
