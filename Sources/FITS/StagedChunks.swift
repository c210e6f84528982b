import Numerics
#if canImport(Glibc)
import Glibc
#endif

/// The pieces of a file of known size, gathered into aligned chunks so that each chunk can be written with direct
/// I/O, which needs the memory, the offset and the length aligned. FITS pieces start every 2880 bytes, so they
/// rarely are; a chunk is a `chunkBytes` span of the file, filled by whichever pieces cover it, in any order and
/// from any thread, and handed out once all its bytes are in. Only chunks that are partly filled are held, so a
/// file costs a few chunks of memory, not its size.
final class StagedChunks: @unchecked Sendable {
    /// Alignment of every chunk's memory, offset and written length: the largest that direct I/O asks for on the
    /// usual devices (512-byte or 4 KiB sectors).
    static let alignment = 4096
    /// Span of the file in one chunk: large enough that a write costs little beside the transfer, small enough
    /// that the few chunks waiting for a later piece stay small.
    static let chunkBytes = 4 << 20

    /// A complete span of the file, ready to write at `offset`: `count` bytes of file, padded with zeros to
    /// `alignedCount` at the end of the file.
    struct Chunk {
        let index: Int
        let base: UnsafeMutableRawPointer
        let offset: Int
        let count: Int
        let alignedCount: Int
    }

    private struct State {
        var buffers: [Int: UnsafeMutableRawPointer] = [:]
        var filled: [Int: Int] = [:]
    }

    private let fileSize: Int
    private let path: String
    private let state = Locked(State())

    /// Chunks of a file of `fileSize` bytes at `path` (named in errors).
    init(fileSize: Int, path: String) {
        self.fileSize = fileSize
        self.path = path
    }

    deinit {
        for buffer in state.current.buffers.values { free(buffer) }
    }

    /// Copies `count` bytes from `source` to their place at `offset` of the file, and calls `complete` with each
    /// chunk this completes, as soon as it is complete; the caller releases the chunk after writing it.
    func gather(_ source: UnsafeRawPointer, count: Int, at offset: Int, complete: (Chunk) throws(FITSError) -> Void) throws(FITSError) {
        guard offset >= 0, offset + count <= fileSize else {
            throw FITSError(.invalidArgument, "\(count) bytes at \(offset) do not fit a file of \(fileSize)", file: path)
        }
        var position = offset
        while position < offset + count {
            let index = position / Self.chunkBytes
            let start = index * Self.chunkBytes
            let length = min(Self.chunkBytes, fileSize - start)
            let aligned = (length + Self.alignment - 1) / Self.alignment * Self.alignment
            let taken = min(offset + count, start + length) - position
            let allocated = state.withLock { state -> UnsafeMutableRawPointer? in
                if let buffer = state.buffers[index] { return buffer }
                var fresh: UnsafeMutableRawPointer?
                guard posix_memalign(&fresh, Self.alignment, aligned) == 0, let fresh else { return nil }
                HugePages.advise(fresh, bytes: aligned)
                (fresh + length).initializeMemory(as: UInt8.self, repeating: 0, count: aligned - length)
                state.buffers[index] = fresh
                return fresh
            }
            guard let buffer = allocated else { throw FITSError(.io, "out of memory for a \(aligned)-byte write buffer", file: path) }
            (buffer + (position - start)).copyMemory(from: source + (position - offset), byteCount: taken)
            let isComplete = state.withLock { state in
                state.filled[index, default: 0] += taken
                return state.filled[index] == length
            }
            if isComplete {
                try complete(Chunk(index: index, base: buffer, offset: start, count: length, alignedCount: aligned))
            }
            position += taken
        }
    }

    /// Frees a chunk once written.
    func release(_ chunk: Chunk) {
        state.withLock { state in
            state.buffers[chunk.index] = nil
            state.filled[chunk.index] = nil
        }
        free(chunk.base)
    }
}
