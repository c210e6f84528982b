import Dispatch
import Foundation
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// A whole file's bytes in one buffer: a leased read-only mapping of the file when it is large and that can be
/// had safely (`LeasedMapping`), otherwise a copy read with a few large `read` calls.
///
/// cfitsio's disk driver reads in 2880-byte records, tens of thousands of system calls for a full-frame rate
/// file, and checksum verification reads every HDU a second time. Holding the file in memory once and letting
/// cfitsio work on the buffer (`FITSFile(bytes:)`) avoids both; the same bytes also feed the content hash, so an
/// input is read from disk exactly once.
public final class FileBytes: @unchecked Sendable {
    /// Start of the buffer (never null).
    public let base: UnsafeMutableRawPointer
    /// Number of valid bytes.
    public let count: Int
    private let release: Release

    /// How the buffer goes back to the system.
    private enum Release {
        /// A `malloc`ed buffer (cfitsio's memory driver grows its buffers with `realloc`).
        case free
        /// An anonymous mapping of `length` bytes starting at `start`.
        case unmap(start: UnsafeMutableRawPointer, length: Int)
        /// A mapping of the file itself, with its lease.
        case lease(LeasedMapping)
    }

    /// Takes ownership of a `malloc`ed buffer.
    init(adopting base: UnsafeMutableRawPointer, count: Int) {
        self.base = base
        self.count = count
        release = .free
    }

    private init(mapping: Mapping, count: Int) {
        base = mapping.aligned
        self.count = count
        release = .unmap(start: mapping.start, length: mapping.length)
    }

    private init(leased: LeasedMapping) {
        base = leased.base
        count = leased.length
        release = .lease(leased)
    }

    deinit {
        switch release {
        case .free: free(base)
        case .unmap(let start, let length): munmap(start, length)
        case .lease(let mapping): mapping.release()
        }
    }

    /// Files at least this large are mapped when they can be (smaller ones are read: the lease and mapping cost
    /// more than the copy they save, and a test that rewrites a small input it still holds would wait on the lease).
    static let mappingThreshold = 4 << 20

    /// The bytes of the file at `path`, mapped or read.
    public convenience init(contentsOf path: String) throws(FITSError) {
        try self.init(contentsOf: path, mapping: true)
    }

    /// The bytes of the file at `path`; `mapping: false` always reads a copy.
    convenience init(contentsOf path: String, mapping: Bool) throws(FITSError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FITSError.system("open", file: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FITSError.system("stat", file: path) }
        if mapping, Int(info.st_size) >= Self.mappingThreshold, let leased = LeasedMapping.map(fd: fd, size: Int(info.st_size)) {
            self.init(leased: leased)
            return
        }
        var buffer = try Mapping(capacity: max(1, Int(info.st_size)), file: path)
        // The expected size is read in two halves at once: copying from the page cache into fresh pages is bound
        // by faulting and copying on one core, not by the disk.
        var filled = 0
        let size = Int(info.st_size)
        let half = size / 2 / HugePages.size * HugePages.size
        if half > 0 {
            let results = Locked<[Int]>([0, 0])
            let target = Int(bitPattern: buffer.aligned)
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let start = part * half, end = part == 0 ? half : size
                var done = start
                while done < end {
                    let got = pread(fd, UnsafeMutableRawPointer(bitPattern: target + done), min(end - done, 1 << 26), off_t(done))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { break }
                    done += got
                }
                results.withLock { $0[part] = done - start }
            }
            let counts = results.current
            // A short first half (the file shrank since fstat) leaves a hole: read the rest sequentially instead.
            filled = counts[0] == half ? half + counts[1] : counts[0]
        }
        guard lseek(fd, off_t(filled), SEEK_SET) >= 0 else {
            munmap(buffer.start, buffer.length)
            throw FITSError.system("seek", file: path)
        }
        while true {
            if filled == buffer.capacity {
                // The file grew since fstat: keep reading rather than return a truncated copy.
                let larger = try Mapping(capacity: 2 * buffer.capacity, file: path)
                larger.aligned.copyMemory(from: buffer.aligned, byteCount: filled)
                munmap(buffer.start, buffer.length)
                buffer = larger
            }
            let got = read(fd, buffer.aligned + filled, min(buffer.capacity - filled, 1 << 26))
            if got < 0 {
                if errno == EINTR { continue }
                munmap(buffer.start, buffer.length)
                throw FITSError.system("read", file: path)
            }
            if got == 0 { break }
            filled += got
        }
        self.init(mapping: buffer, count: filled)
    }

    /// An anonymous mapping aligned to 2 MiB and advised for transparent huge pages: faulting in a 100 MB file
    /// buffer page by 4 KiB page costs about as much as reading the file; huge pages halve the time of the read.
    private struct Mapping {
        let start: UnsafeMutableRawPointer
        let length: Int
        let aligned: UnsafeMutableRawPointer
        let capacity: Int

        init(capacity: Int, file: String) throws(FITSError) {
            length = capacity + HugePages.size
            guard let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
                throw FITSError.system("allocate \(capacity) bytes for", file: file)
            }
            start = mapped
            let offset = (HugePages.size - Int(bitPattern: mapped) % HugePages.size) % HugePages.size
            aligned = mapped + offset
            self.capacity = capacity
            HugePages.advise(aligned, bytes: capacity)
        }
    }

    /// The bytes, for hashing or inspection. The pointer is valid only inside `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// True when the bytes are the file itself, mapped under a lease, rather than a copy.
    var isLeasedMapping: Bool {
        if case .lease = release { return true }
        return false
    }

    /// True when the bytes start with the gzip magic number (cfitsio would replace the buffer to decompress).
    public var isGzip: Bool { count >= 2 && base.load(as: UInt8.self) == 0x1f && base.load(fromByteOffset: 1, as: UInt8.self) == 0x8b }
}

extension FITSError {
    /// A failed system call, with the C library's description of `errno`.
    static func system(_ operation: String, file: String) -> FITSError {
        FITSError(.io, "\(operation) failed: \(String(cString: strerror(errno)))", file: file)
    }
}
