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

/// A file being written piece by piece with large `write` calls (cfitsio's disk driver issues one per 2880-byte
/// record); closed when released.
final class FileOutput {
    private let fd: Int32
    private let path: String

    /// Creates `path`, or truncates it if it exists.
    init(path: String) throws(FITSError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        self.path = path
        guard fd >= 0 else { throw FITSError.system("create", file: path) }
    }

    deinit { close(fd) }

    func append(_ piece: HDUBytes) throws(FITSError) {
        var written = piece.range.lowerBound
        while written < piece.range.upperBound {
            let put = write(fd, piece.bytes.base + written, min(piece.range.upperBound - written, 1 << 26))
            if put < 0 {
                if errno == EINTR { continue }
                throw FITSError.system("write", file: path)
            }
            written += put
        }
    }
}
