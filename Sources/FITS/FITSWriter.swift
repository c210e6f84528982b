import CFITSIO
import Foundation

/// Writes HDUs to a new FITS file through cfitsio, with CHECKSUM and DATASUM on every HDU.
///
/// The writer creates the file it is given and refuses to overwrite; atomic placement (temporary name,
/// fsync, rename) is the caller's job (`AtomicFile` in this module does it).
public enum FITSWriter {
    /// Writes `hdus` to a new file at `path`. The first HDU must be an image or empty (it becomes the primary HDU).
    public static func write(_ hdus: [HDU], to path: String) throws(FITSError) {
        guard let first = hdus.first else { throw FITSError(.invalidArgument, "nothing to write", file: path) }
        if case .table = first.payload {
            throw FITSError(.invalidArgument, "the primary HDU cannot be a table", file: path)
        }
        var handle: UnsafeMutablePointer<fitsfile>?
        try check("create", file: path) { status in _ = ffinit(&handle, path, &status) }
        var closeStatus: Int32 = 0
        defer { if handle != nil { ffclos(handle, &closeStatus) } }
        do {
            for (index, hdu) in hdus.enumerated() {
                try writeHDU(hdu, index: index, to: handle, path: path)
            }
        } catch {
            var status: Int32 = 0
            ffdelt(handle, &status)
            handle = nil
            throw error
        }
        ffclos(handle, &closeStatus)
        handle = nil
        if closeStatus != 0 { throw FITSError.library(status: closeStatus, operation: "close", file: path) }
    }

    private static func writeHDU(_ hdu: HDU, index: Int, to handle: UnsafeMutablePointer<fitsfile>?, path: String) throws(FITSError) {
        switch hdu.payload {
        case .empty:
            var axes: [Int64] = []
            try check("create HDU \(index)", file: path) { status in _ = ffcrimll(handle, BYTE_IMG, 0, &axes, &status) }
            try HeaderWriter.write(hdu.header, to: handle, path: path)
        case .image(let image):
            try writeImage(image, header: hdu.header, index: index, to: handle, path: path)
        case .table(let table):
            try TableWriter.write(table, header: hdu.header, to: handle, path: path)
        }
        try check("write checksum of HDU \(index)", file: path) { status in _ = ffpcks(handle, &status) }
    }

    private static func writeImage(_ image: AnyImage, header: Header, index: Int, to handle: UnsafeMutablePointer<fitsfile>?,
                                   path: String) throws(FITSError) {
        func put<P: FITSPixel>(_ typed: Image<P>) throws(FITSError) {
            var axes = typed.axes.map { Int64($0) }
            try check("create image HDU \(index)", file: path) { status in
                _ = ffcrimll(handle, P.imageType, Int32(axes.count), &axes, &status)
            }
            try HeaderWriter.write(header, to: handle, path: path)
            try check("write pixels of HDU \(index)", file: path) { status in
                _ = typed.pixels.withUnsafeBufferPointer { buffer in
                    ffppr(handle, P.datatype, 1, Int64(buffer.count), UnsafeMutableRawPointer(mutating: buffer.baseAddress), &status)
                }
            }
        }
        switch image {
        case .uint8(let i): try put(i)
        case .int16(let i): try put(i)
        case .uint16(let i): try put(i)
        case .int32(let i): try put(i)
        case .uint32(let i): try put(i)
        case .int64(let i): try put(i)
        case .float32(let i): try put(i)
        case .float64(let i): try put(i)
        }
    }
}
