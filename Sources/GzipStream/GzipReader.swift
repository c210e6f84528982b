import CZlib
import SystemPackage

/// Reads the decompressed bytes of a gzip file front to back through fixed buffers, so that what its first
/// bytes say can be read without decompressing the whole file into memory (a 23 MB gzip may expand to 5 GiB).
/// Members concatenated one after another are read as one stream, as gunzip does.
public final class GzipReader {
    private static let bufferSize = 1 << 16
    private var stream = z_stream()
    private let file: FileDescriptor
    private let input = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
    private let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
    private var inputEnded = false
    private var memberEnded = false
    /// The stream ended where gzip says it ends (not merely where the file stops).
    public private(set) var isFinished = false
    /// Decompressed bytes handed out or skipped so far.
    public private(set) var position = 0

    public init(path: String) throws {
        file = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            try? file.close()
            input.deallocate()
            scratch.deallocate()
            throw GzipError.corrupt("zlib cannot start decompressing")
        }
    }

    deinit {
        inflateEnd(&stream)
        try? file.close()
        input.deallocate()
        scratch.deallocate()
    }

    /// The next `count` decompressed bytes; fewer only where the data ends: `isFinished` then tells a whole stream
    /// from a cut one. Throws when the compressed data is damaged.
    public func read(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let filled = try bytes.withUnsafeMutableBufferPointer { buffer in
            try inflate(into: buffer.baseAddress!, count: count)
        }
        bytes.removeLast(count - filled)
        return bytes
    }

    /// Fills `buffer` with the next decompressed bytes; returns how many there were (fewer only where the data ends).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let start = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        return try inflate(into: start.assumingMemoryBound(to: UInt8.self), count: buffer.count)
    }

    /// Decompresses and drops the next `count` bytes; returns how many there were (fewer where the data ends).
    public func skip(_ count: Int) throws -> Int {
        var skipped = 0
        while skipped < count {
            let chunk = try inflate(into: scratch, count: min(Self.bufferSize, count - skipped))
            if chunk == 0 { break }
            skipped += chunk
        }
        return skipped
    }

    private func inflate(into output: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        var filled = 0
        decompressing: while filled < count, !isFinished {
            if stream.avail_in == 0, !inputEnded {
                let read = try file.read(into: UnsafeMutableRawBufferPointer(start: input, count: Self.bufferSize))
                if read == 0 {
                    inputEnded = true
                } else {
                    stream.next_in = input
                    stream.avail_in = UInt32(read)
                }
            }
            if memberEnded {
                // Another member follows only if bytes follow the one that ended.
                guard stream.avail_in > 0 else { isFinished = true; break }
                inflateReset(&stream)
                memberEnded = false
            }
            let before = filled
            stream.next_out = output + filled
            stream.avail_out = UInt32(count - filled)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            filled = count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END: memberEnded = true
            case Z_OK: break
            case Z_BUF_ERROR:
                // No progress possible: the file stops before the stream does (cut or still downloading).
                if inputEnded, stream.avail_in == 0, filled == before { break decompressing }
            default:
                throw GzipError.corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
            }
        }
        position += filled
        return filled
    }
}

/// Why a gzip file cannot be read.
public enum GzipError: Error, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let why): "damaged gzip data: \(why)"
        }
    }
}
