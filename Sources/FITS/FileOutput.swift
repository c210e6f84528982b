import Dispatch
import Numerics
#if canImport(Glibc)
import Glibc
#endif

/// A file of known size being written piece by piece, each piece at its offset, from any number of threads.
///
/// Where the filesystem takes direct I/O (ext4, XFS, btrfs), the pieces are gathered into aligned chunks
/// (`StagedChunks`) and each chunk goes to the disk with `O_DIRECT` as soon as all its bytes are in: the device
/// reads them from our memory, and no core copies the file into the page cache. That copy, with the writeback
/// behind it, was a third of the CPU time of a full-frame NSClean run on two cores (84 MB at about 1.2 GB/s);
/// gathering costs one `memcpy`. Where direct I/O is refused (tmpfs, some network and FUSE filesystems, or a
/// device with stricter alignment), the pieces are written through the page cache instead, with writeback of each
/// started at once so that `finish` has little left to wait for. Closed when released.
final class FileOutput: Sendable {
    private let fd: Int32
    private let path: String
    private let size: Int
    /// Chunks being gathered for direct writes; nil when the file is written through the page cache.
    private let staged: StagedChunks?
    /// False once the filesystem has refused a direct write: later chunks go through the page cache.
    private let directAccepted = Locked(true)
    /// Serialises writes through the page cache: the kernel holds the file's lock for each write, and a second
    /// writer only spins on it (`rwsem_spin_on_owner` in profiles) while it could be encoding.
    private let oneWriter = Locked(())

    /// Creates `path` (or truncates it) for a file of `size` bytes; `direct: false` writes through the page cache
    /// even where direct I/O would be taken.
    init(path: String, size: Int, direct: Bool = true) throws(FITSError) {
        self.path = path
        self.size = size
        if direct, let flag = Self.directFlag {
            let directFD = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | flag, 0o644)
            if directFD >= 0 {
                fd = directFD
                staged = StagedChunks(fileSize: size, path: path)
                return
            }
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        staged = nil
        guard fd >= 0 else { throw FITSError.system("create", file: path) }
    }

    deinit { close(fd) }

    /// `O_DIRECT`, whose value differs between architectures and which Swift's Glibc module does not export.
    private static var directFlag: Int32? {
        #if arch(x86_64) || arch(i386)
        return 0o40000
        #elseif arch(arm64)
        return 0o200000
        #else
        return nil
        #endif
    }

    /// Writes `piece` at byte `offset` of the file. With direct I/O its chunks are written in parallel: a chunk
    /// the piece covers whole, from memory aligned as the file is (`alignedForFile`), straight from the piece's
    /// bytes; any other through `StagedChunks`.
    func write(_ piece: HDUBytes, at offset: Int) throws(FITSError) {
        let source = piece.bytes.base + piece.range.lowerBound, count = piece.range.count
        guard let staged else {
            let outcome = oneWriter.withLock { _ in
                Result { () throws(FITSError) in try writeThroughCache(source, count: count, at: offset) }
            }
            return try outcome.get()
        }
        guard count > 0 else { return }
        let chunkBytes = StagedChunks.chunkBytes, alignment = StagedChunks.alignment
        let first = offset / chunkBytes, last = (offset + count - 1) / chunkBytes
        let results = ResultSlots<Void>(count: last - first + 1)
        let address = Int(bitPattern: source)
        DispatchQueue.concurrentPerform(iterations: last - first + 1) { part in
            let chunkStart = (first + part) * chunkBytes
            let start = max(offset, chunkStart), end = min(offset + count, chunkStart + chunkBytes)
            let from = UnsafeRawPointer(bitPattern: address + start - offset)!
            results.store(part, Result { () throws(FITSError) in
                if start == chunkStart, end == chunkStart + chunkBytes, Int(bitPattern: from) % alignment == 0 {
                    return try writeDirect(from, count: end - start, alignedCount: end - start, at: start)
                }
                try staged.gather(from, count: end - start, at: start) { chunk throws(FITSError) in
                    defer { staged.release(chunk) }
                    try writeDirect(UnsafeRawPointer(chunk.base), count: chunk.count, alignedCount: chunk.alignedCount, at: chunk.offset)
                }
            })
        }
        _ = try results.values()
    }

    /// The offset within a 4 KiB-aligned buffer at which to place bytes bound for file offset `offset`, so that
    /// the chunks they cover whole are written straight from the buffer.
    static func alignedForFile(_ offset: Int) -> Int { offset % StagedChunks.alignment }

    /// `count` bytes at `source` with direct I/O, `alignedCount` of them (the padding is cut off by `finish`). A
    /// refusal (EINVAL: the device wants a stricter alignment, or the filesystem direct I/O only on some files)
    /// turns direct I/O off for the rest of the file, and the bytes go through the page cache.
    private func writeDirect(_ source: UnsafeRawPointer, count: Int, alignedCount: Int, at offset: Int) throws(FITSError) {
        var written = 0
        if directAccepted.current {
            while written < alignedCount {
                let put = pwrite(fd, source + written, alignedCount - written, off_t(offset + written))
                if put > 0 { written += put; continue }
                if put < 0 && errno == EINTR { continue }
                if put < 0 && errno == EINVAL, written % StagedChunks.alignment == 0 {
                    directAccepted.withLock { $0 = false }
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~Self.directFlag!)
                    break
                }
                if put == 0 { throw FITSError(.io, "write stopped short \(alignedCount - written) bytes before the end", file: path) }
                throw FITSError.system("write", file: path)
            }
        }
        if written < count { try writeThroughCache(source + written, count: count - written, at: offset + written) }
    }

    private func writeThroughCache(_ source: UnsafeRawPointer, count: Int, at offset: Int) throws(FITSError) {
        var written = 0
        while written < count {
            let put = pwrite(fd, source + written, min(count - written, 1 << 26), off_t(offset + written))
            if put < 0 {
                if errno == EINTR { continue }
                throw FITSError.system("write", file: path)
            }
            if put == 0 { throw FITSError(.io, "write stopped short \(count - written) bytes before the end", file: path) }
            written += put
        }
        // Starts writeback of the range without waiting (Linux's POSIX_FADV_DONTNEED), so the disk takes early
        // pieces while later ones are encoded. Only a hint: a writeback error comes out of `finish`.
        _ = posix_fadvise(fd, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
    }

    /// Cuts the padding of the last direct write and waits until the data is on disk; a writeback error of any
    /// piece is thrown here, on the descriptor that wrote it (the kernel reports such an error once).
    func finish() throws(FITSError) {
        if staged != nil {
            guard ftruncate(fd, off_t(size)) == 0 else { throw FITSError.system("set the size of", file: path) }
        }
        while fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw FITSError.system("flushing to disk", file: path)
        }
    }
}
