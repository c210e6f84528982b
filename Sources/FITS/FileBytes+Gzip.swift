import GzipStream

#if canImport(Glibc)
import Glibc
#endif

extension FileBytes {
    /// The decompressed bytes of a gzip-compressed FITS file, streamed into one buffer of exactly the size its
    /// headers announce (found by a first streaming walk over them), so that memory never exceeds what the
    /// headers declare, and nothing is allocated when they declare more than `limit` bytes.
    public static func decompressing(_ path: String, limit: Int = .max) throws(FITSError) -> FileBytes {
        let survey = FITSStructure.survey(path, keepingHeaders: 0, sizeLimit: limit)
        if let refusal = survey.sizeRefusal { throw FITSError(.unsupported, "not decompressed: \(refusal)", file: path) }
        guard case .complete = survey.verdict else {
            throw FITSError(.incomplete, "not decompressed: \(survey.verdict)", file: path)
        }
        let size = survey.announcedBytes
        guard let base = malloc(max(1, size)) else { throw FITSError(.io, "cannot allocate \(size) bytes to decompress", file: path) }
        let bytes = FileBytes(adopting: base, count: size)
        do {
            let filled = try GzipReader(path: path).read(into: UnsafeMutableRawBufferPointer(start: base, count: size))
            guard filled == size else { throw FITSError(.incomplete, "the file changed while it was decompressed", file: path) }
        } catch let error as FITSError {
            throw error
        } catch {
            throw FITSError(.io, "cannot decompress: \(error)", file: path)
        }
        return bytes
    }
}
