import Platform

#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory, under a read lease that keeps other processes from changing it
/// while it is mapped.
///
/// Mapping an input instead of copying it saves the copy and the fresh pages to copy into: for an 84 MB rate file
/// 5–10 ms instead of 40–90 ms. The risk of a mapping is that a process truncating the file makes the next access
/// to the lost pages kill the reader with SIGBUS, which a daemon must not suffer. The lease (Linux `F_SETLEASE`)
/// excludes that: it is granted only while no one has the file open for writing, and from then on anyone opening
/// it for writing or truncating it waits until the lease is given up (the descriptor closed, when the bytes are
/// released) or until the kernel breaks it after `/proc/sys/fs/lease-break-time` (45 s by default), far longer
/// than a step holds an input. The break notice goes to SIGURG, which is ignored by default, not to SIGIO, which
/// would terminate the process. When no lease can be had (the file is open for writing, belongs to another user,
/// or lives on a filesystem without leases) or a page did not come in, the caller reads the file instead.
struct LeasedMapping {
    let base: UnsafeMutableRawPointer
    let length: Int
    /// A duplicate of the caller's descriptor that holds the lease until it is closed.
    let descriptor: Int32

    /// Linux `fcntl` commands that Swift's Glibc module does not export (they need `_GNU_SOURCE`).
    private static let setLease: Int32 = 1024
    private static let setSignal: Int32 = 10

    /// Leases and maps the `size` bytes of the file open (read-only) on `fd`; nil when it cannot be done safely.
    static func map(fd: Int32, size: Int) -> LeasedMapping? {
        guard size > 0 else { return nil }
        let own = dup(fd)
        guard own >= 0 else { return nil }
        guard fcntl(own, setSignal, SIGURG) == 0, fcntl(own, setLease, Int32(F_RDLCK)) == 0 else {
            close(own)
            return nil
        }
        var info = stat()
        // The file may have changed between the caller's fstat and the lease.
        guard fstat(own, &info) == 0, Int(info.st_size) == size,
            let mapped = mmap(nil, size, PROT_READ, MAP_SHARED, own, 0), mapped != MAP_FAILED
        else {
            close(own)
            return nil
        }
        let mapping = LeasedMapping(base: mapped, length: size, descriptor: own)
        switch mapping.populate() {
        case .resident:
            return mapping
        case .failed:
            mapping.release()
            return nil
        case .unsupported:
            // A kernel before 5.14: MAP_POPULATE, on one thread, and a check that every page came in.
            munmap(mapped, size)
            guard let populated = mmap(nil, size, PROT_READ, MAP_SHARED | MAP_POPULATE, own, 0), populated != MAP_FAILED else {
                close(own)
                return nil
            }
            let fallback = LeasedMapping(base: populated, length: size, descriptor: own)
            guard fallback.isResident else {
                fallback.release()
                return nil
            }
            return fallback
        }
    }

    /// `MADV_POPULATE_READ` (Linux 5.14), which Swift's Glibc module does not export.
    private static let populateRead: Int32 = 22

    private enum Population { case resident, failed, unsupported }

    /// Reads every page in, in one part per core: MAP_POPULATE does it on the calling thread, 5–10 ms for a
    /// full-frame rate file while the other cores wait. Unlike MAP_POPULATE it fails when a page cannot be read.
    private func populate() -> Population {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (length + page - 1) / page
        let address = Int(bitPattern: base), length = self.length
        let outcomes = Locked([Int32]())
        Parallel.forEach(pages, chunks: min(pages, ProcessInfoCores.count)) { range in
            let start = range.lowerBound * page, end = min(length, range.upperBound * page)
            let failure = madvise(UnsafeMutableRawPointer(bitPattern: address + start), end - start, Self.populateRead) == 0 ? 0 : errno
            outcomes.withLock { $0.append(failure) }
        }
        let failures = outcomes.current.filter { $0 != 0 }
        if failures.isEmpty { return .resident }
        return failures.allSatisfy { $0 == EINVAL } ? .unsupported : .failed
    }

    /// True when every page came in with MAP_POPULATE (a read error leaves a page out, and touching it would fault).
    private var isResident: Bool {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + page - 1) / page)
        guard mincore(base, length, &vector) == 0 else { return false }
        return vector.allSatisfy { $0 & 1 != 0 }
    }

    /// Unmaps the file and gives up the lease.
    func release() {
        munmap(base, length)
        close(descriptor)
    }
}
