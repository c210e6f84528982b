#if canImport(Glibc)
import Glibc
#endif

/// A FITS file ready to be written: one piece of bytes per HDU, in order (see `FITSWriter`).
public struct EncodedFITS: Sendable {
    /// The bytes of one HDU: a range of a buffer (its own encoding, or the file it was read from).
    public struct Piece: Sendable {
        let bytes: FileBytes
        let range: Range<Int>
    }

    let pieces: [Piece]

    /// Total length in bytes.
    public var count: Int { pieces.reduce(0) { $0 + $1.range.count } }

    /// Writes the file to `path` (created, or truncated if it exists).
    public func write(to path: String) throws(FITSError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FITSError.system("create", file: path) }
        defer { close(fd) }
        for piece in pieces {
            var written = piece.range.lowerBound
            while written < piece.range.upperBound {
                let put = Glibc.write(fd, piece.bytes.base + written, min(piece.range.upperBound - written, 1 << 26))
                if put < 0 {
                    if errno == EINTR { continue }
                    throw FITSError.system("write", file: path)
                }
                written += put
            }
        }
    }
}
