import Dispatch
import Numerics
#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one HDU as they go into a file: a range of a buffer (its own encoding, or the file it was read
/// from, see `HDUOrigin`). Every HDU is a self-contained run of 2880-byte blocks whose checksums cover only
/// itself, so a file is the concatenation of its HDUs' bytes.
struct HDUBytes: Sendable {
    let bytes: FileBytes
    let range: Range<Int>
}

/// A file being written piece by piece, each piece at its offset with large `pwrite` calls (cfitsio's disk
/// driver issues one per 2880-byte record); pieces may be written from several threads at once. Closed when
/// released.
///
/// Every `flushEvery` bytes it starts an `fdatasync` in the background, so the disk takes the early HDUs while
/// the later ones are being encoded: the caller's final fsync (`AtomicFile`) then waits only for the tail.
/// A 450 MB oversampled IFU product otherwise spends about 0.3 s in that last fsync alone.
final class FileOutput: @unchecked Sendable {
    static let flushEvery = 32 << 20
    private let fd: Int32
    private let path: String
    private let unflushed = Locked(0)
    private let flusher = DispatchQueue(label: "webbflow.fits.flush")
    private let flushing = DispatchGroup()
    private let flushError = FlushError()

    /// The first error of a background flush. It must reach the caller: the kernel reports a writeback error
    /// once, so the caller's own fsync on a new descriptor would not see it again.
    private final class FlushError: @unchecked Sendable {
        // Written only on `flusher`, read only after waiting for it.
        var code: Int32 = 0
    }

    /// Creates `path`, or truncates it if it exists.
    init(path: String) throws(FITSError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        self.path = path
        guard fd >= 0 else { throw FITSError.system("create", file: path) }
    }

    deinit {
        // The descriptor must stay open until the background flushes are done with it.
        flushing.wait()
        close(fd)
    }

    /// Writes `piece` at byte `offset` of the file.
    func write(_ piece: HDUBytes, at offset: Int) throws(FITSError) {
        var written = 0
        while written < piece.range.count {
            let put = pwrite(fd, piece.bytes.base + piece.range.lowerBound + written, min(piece.range.count - written, 1 << 26),
                             off_t(offset + written))
            if put < 0 {
                if errno == EINTR { continue }
                throw FITSError.system("write", file: path)
            }
            if put == 0 { throw FITSError(.io, "write stopped short \(piece.range.count - written) bytes before the end", file: path) }
            written += put
        }
        let flushNow = unflushed.withLock { total in
            total += piece.range.count
            guard total >= Self.flushEvery else { return false }
            total = 0
            return true
        }
        if flushNow {
            let descriptor = fd, error = flushError
            flusher.async(group: flushing) {
                if error.code == 0, fdatasync(descriptor) != 0 { error.code = errno }
            }
        }
    }

    /// Waits for the background flushes; throws the first one that failed.
    func finish() throws(FITSError) {
        flushing.wait()
        if flushError.code != 0 {
            throw FITSError(.io, "flushing to disk failed: \(String(cString: strerror(flushError.code)))", file: path)
        }
    }
}
