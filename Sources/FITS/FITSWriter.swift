import CFITSIO
import Foundation
import Platform

/// Writes HDUs as a FITS file through cfitsio, with CHECKSUM and DATASUM on every HDU.
///
/// The file is the concatenation of its HDUs' bytes (`HDUBytes`): an unchanged HDU read from a file is copied
/// verbatim (`HDUOrigin`), a large image's pixels are encoded and written a chunk at a time on all cores
/// (`LargeImageEncoder`), planes computed together band by band are written as their bands are computed
/// (`BandedImageWriter`), and each other HDU is encoded on its own by cfitsio's memory driver.
///
/// Every HDU's size is known before any pixel is encoded (a large image's header is encoded once with the same
/// cards and one-pixel axes to measure it), so each HDU has its offset in the file from the start and the HDUs are
/// encoded and written at their offsets on all cores: a cleaned SCI plane is encoded while the untouched
/// extensions after it are already being copied out. Beside the data, a large image takes one chunk per core.
/// A file can also be begun from an outline before its pixels exist (`begin`, `FITSDraft`), so that the HDUs
/// copied verbatim are on disk by the time the rest is computed.
/// The file is synced to disk (data and metadata) before `write` returns; atomic placement (temporary name,
/// rename, folder sync) is the caller's job (`AtomicFile` in Pipeline does it).
public enum FITSWriter {
    /// Images with fewer pixel bytes than this are encoded up front: measuring the header first costs more than it saves.
    static let measuredImageBytes = 1 << 20

    /// Writes `hdus` to `path` (created, or truncated if it exists). The first HDU must be an image or empty
    /// (it becomes the primary HDU). With a `draft` begun at `path` from an outline of the same layout, the HDUs
    /// it already wrote are not written again; the outline may leave out HDUs at the end (those not known before
    /// the product is final), which are then written here. A draft whose layout turned out different is dropped,
    /// and the whole file written afresh. `clock` is told the time spent encoding, writing and syncing.
    public static func write(_ hdus: [HDU], to path: String, continuing draft: FITSDraft? = nil, clock: PhaseClock? = nil) throws(FITSError)
    {
        let pieces = try clock.measure(.encode) { () throws(FITSError) in try plan(hdus, path: path) }
        let offsets = offsets(of: pieces)
        let file: FileOutput
        let written: Set<Int>
        if let draft, clock.measure(.write, { draft.waitForEarlyWrites() }) == nil, draft.sizes.count <= pieces.count,
            draft.sizes == pieces.prefix(draft.sizes.count).map(\.size),
            draft.early.allSatisfy({ index, early in pieces[index].isVerbatim(early) })
        {
            file = draft.output
            written = Set(draft.early.keys)
            draft.wasContinued = true
        } else {
            file = try FileOutput(path: path, clock: clock)
            written = []
        }
        let jobs = jobs(pieces, skipping: written)
        let results = ResultSlots<Void>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { job in
            results.store(
                job,
                Result { () throws(FITSError) in
                    if case .banded(_, let plane, _) = pieces[jobs[job][0]] {
                        let targets = try jobs[job].map { index throws(FITSError) in
                            guard case .banded(let hdu, let plane, let size) = pieces[index] else {
                                preconditionFailure("a banded job holds banded pieces")
                            }
                            return BandedImageWriter.Target(
                                hdu: hdu, plane: plane.index,
                                placement: try LargeImageEncoder.DataPlacement(
                                    axes: plane.axes, bytesPerPixel: plane.planes.stride(plane.index), size: size, offset: offsets[index],
                                    index: index, name: path))
                        }
                        return try BandedImageWriter.write(plane.planes, targets: targets, to: file, clock: clock)
                    }
                    let index = jobs[job][0]
                    switch pieces[index] {
                    case .ready(let bytes), .verbatim(let bytes):
                        try file.write(bytes, at: offsets[index])
                    case .toEncode(let hdu, let image, let size):
                        try LargeImageEncoder.write(
                            hdu, image: image, index: index, size: size, name: path, to: file, at: offsets[index], clock: clock)
                    case .banded:
                        preconditionFailure("banded pieces are written together")
                    }
                })
        }
        _ = try results.values()
        try file.finish()
    }

    /// Begins the file at `path` from an `outline`: HDUs with the layout the final ones will have (same headers up
    /// to their values, images of the same shapes and types), or the leading ones of them. The HDUs copied verbatim from an input start going
    /// to disk at once, in the background, while the caller computes the rest; `write(_:to:continuing:)` finishes
    /// the file. `clock` is told the time spent encoding and writing, the background writes included.
    public static func begin(_ outline: [HDU], at path: String, clock: PhaseClock? = nil) throws(FITSError) -> FITSDraft {
        let pieces = try clock.measure(.encode) { () throws(FITSError) in try plan(outline, path: path) }
        let offsets = offsets(of: pieces)
        var early: [Int: HDUBytes] = [:]
        for (index, piece) in pieces.enumerated() {
            if case .verbatim(let bytes) = piece { early[index] = bytes }
        }
        return FITSDraft(
            output: try FileOutput(path: path, clock: clock), sizes: pieces.map(\.size),
            early: early, offsets: offsets)
    }

    /// The pieces to write, as jobs that can run at once: each piece alone, except the planes of one `BandedPlanes`,
    /// which are written together, band by band.
    private static func jobs(_ pieces: [Piece], skipping written: Set<Int>) -> [[Int]] {
        var jobs: [[Int]] = []
        var banded: [ObjectIdentifier: Int] = [:]
        for index in pieces.indices where !written.contains(index) {
            guard case .banded(_, let plane, _) = pieces[index] else {
                jobs.append([index])
                continue
            }
            if let job = banded[ObjectIdentifier(plane.planes)] {
                jobs[job].append(index)
            } else {
                banded[ObjectIdentifier(plane.planes)] = jobs.count
                jobs.append([index])
            }
        }
        return jobs
    }

    /// Where each piece starts in the file, and (last) the file's size.
    private static func offsets(of pieces: [Piece]) -> [Int] {
        pieces.reduce(into: [0]) { ends, piece in ends.append(ends.last! + piece.size) }
    }

    /// How each HDU goes into the file, and its size in it.
    private static func plan(_ hdus: [HDU], path: String) throws(FITSError) -> [Piece] {
        guard let first = hdus.first else { throw FITSError(.invalidArgument, "nothing to write", file: path) }
        if case .table = first.payload {
            throw FITSError(.invalidArgument, "the primary HDU cannot be a table", file: path)
        }
        var planned: [Piece] = []
        for (index, hdu) in hdus.enumerated() {
            if let origin = hdu.origin, origin.wasPrimary == (index == 0) {
                planned.append(.verbatim(HDUBytes(bytes: origin.bytes, range: origin.range)))
            } else if case .image(let image) = hdu.payload,
                let size = try measuredSize(of: hdu, standIn: image.onePixelStandIn, axes: image.axes, index: index, name: path)
            {
                planned.append(.toEncode(hdu, image, size: size))
            } else if case .banded(let plane) = hdu.payload, BandedImageWriter.canWrite(plane.planes),
                let size = try measuredSize(of: hdu, standIn: plane.planes.standIn(plane.index), axes: plane.axes, index: index, name: path)
            {
                planned.append(.banded(hdu, plane, size: size))
            } else {
                planned.append(.ready(try encodeAlone(hdu, index: index, name: path).bytes))
            }
        }
        return planned
    }

    /// An HDU as it goes into the file: the bytes it was read from, its own encoding, or an HDU to encode into
    /// `size` bytes, from a whole image or band by band.
    private enum Piece: Sendable {
        case verbatim(HDUBytes)
        case ready(HDUBytes)
        case toEncode(HDU, AnyImage, size: Int)
        case banded(HDU, BandedPlane, size: Int)

        var size: Int {
            switch self {
            case .verbatim(let bytes), .ready(let bytes): bytes.range.count
            case .toEncode(_, _, let size), .banded(_, _, let size): size
            }
        }

        /// True when this piece is `bytes` of an input, copied verbatim.
        func isVerbatim(_ bytes: HDUBytes) -> Bool {
            guard case .verbatim(let own) = self else { return false }
            return own.bytes === bytes.bytes && own.range == bytes.range
        }
    }

    /// The encoded size of a large image HDU of `axes`, from its header encoded with the same cards and pixel type
    /// over one-pixel axes (`standIn`), plus its padded data; nil for an image too small to be worth measuring.
    private static func measuredSize(of hdu: HDU, standIn: AnyImage, axes: [Int], index: Int, name: String) throws(FITSError) -> Int? {
        let dataBytes = axes.reduce(1, *) * abs(standIn.bitpix) / 8
        guard dataBytes >= measuredImageBytes else { return nil }
        let header = try encodeAlone(HDU(header: hdu.header, payload: .image(standIn)), index: index, name: name).headerBytes
        return header + (dataBytes + 2879) / 2880 * 2880
    }

    /// One HDU encoded by itself, and the length of its header. An extension is written after an empty primary
    /// HDU, whose block is left out. `beforeClose` is given the handle once the HDU is written, checksums included.
    static func encodeAlone(
        _ hdu: HDU, index: Int, name: String,
        beforeClose: (UnsafeMutablePointer<fitsfile>?) throws(FITSError) -> Void = { _ in }
    ) throws(FITSError)
        -> (bytes: HDUBytes, headerBytes: Int)
    {
        let estimate = hdu.estimatedBytes + (index == 0 ? 0 : 2880)
        // Zeroed, not just allocated: cfitsio's memory driver takes the whole buffer as the file's extent and may
        // read past what it has written (looking for a following HDU when it closes one); leftover bytes of an
        // earlier product there (malloc reuses freed blocks) were taken for extension headers and broke the write.
        guard let initial = calloc(estimate, 1) else { throw FITSError(.io, "out of memory for \(estimate) bytes", file: name) }
        HugePages.advise(initial, bytes: estimate)
        let cells = MemoryCells(base: initial, count: estimate)
        // cfitsio keeps the cells' addresses and writes through them until the file is closed; the object must
        // outlive every call, which Swift does not promise past its last visible use (the cells are `let`s, so a
        // later read may be folded into an earlier one and the object freed while cfitsio still writes).
        return try withExtendedLifetime(cells) { () throws(FITSError) -> (bytes: HDUBytes, headerBytes: Int) in
            var handle: UnsafeMutablePointer<fitsfile>?
            var headerStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
            do throws(FITSError) {
                try check("create in memory", file: name) { status in
                    _ = ffimem(&handle, cells.address, cells.size, max(estimate / 4, 1 << 20), realloc, &status)
                }
                if index > 0 {
                    var axes: [Int64] = []
                    try check("create placeholder primary HDU", file: name) { status in _ = ffcrimll(handle, BYTE_IMG, 0, &axes, &status) }
                }
                try writeHDU(hdu, index: index, to: handle, path: name)
                try check("locate HDU \(index)", file: name) { status in _ = ffghadll(handle, &headerStart, &dataStart, &dataEnd, &status) }
                try beforeClose(handle)
                try check("close", file: name) { status in _ = ffclos(handle, &status) }
            } catch {
                var status: Int32 = 0
                if handle != nil { ffclos(handle, &status) }
                free(cells.address.pointee)
                throw error
            }
            // cfitsio may have moved the buffer while growing it; what it holds now is ours.
            guard let final = cells.address.pointee else { throw FITSError(.io, "cfitsio released the file buffer", file: name) }
            return (
                HDUBytes(bytes: FileBytes(adopting: final, count: Int(dataEnd)), range: Int(headerStart)..<Int(dataEnd)),
                Int(dataStart - headerStart)
            )
        }
    }

    private static func writeHDU(_ hdu: HDU, index: Int, to handle: UnsafeMutablePointer<fitsfile>?, path: String) throws(FITSError) {
        switch hdu.payload {
        case .empty:
            var axes: [Int64] = []
            try check("create HDU \(index)", file: path) { status in _ = ffcrimll(handle, BYTE_IMG, 0, &axes, &status) }
            try HeaderWriter.write(hdu.header, to: handle, path: path)
        case .image(let image):
            try writeImage(image, header: hdu.header, index: index, to: handle, path: path)
        case .deferred(let deferred):
            try writeImage(try deferred.decode(), header: hdu.header, index: index, to: handle, path: path)
        case .banded(let plane):
            try writeImage(plane.image(), header: hdu.header, index: index, to: handle, path: path)
        case .table(let table):
            try TableWriter.write(table, header: hdu.header, to: handle, path: path)
        }
        try check("write checksum of HDU \(index)", file: path) { status in _ = ffpcks(handle, &status) }
    }

    private static func writeImage(
        _ image: AnyImage, header: Header, index: Int, to handle: UnsafeMutablePointer<fitsfile>?,
        path: String
    ) throws(FITSError) {
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

extension HDU {
    /// Bytes this HDU takes in a file, approximately (header blocks plus data), to size a write buffer.
    var estimatedBytes: Int {
        // A table's header also gets TTYPEn, TFORMn and TUNITn for each column (an x1d's HDRTAB has one per keyword of
        // the members' primary headers: ~200 for real JWST files).
        let columnCards = if case .table(let table) = payload { 3 * table.columns.count } else { 0 }
        let headerBytes = 2880 * ((header.cards.count + columnCards + 40) / 36 + 1)
        switch payload {
        case .empty: return headerBytes
        case .image(let image): return headerBytes + image.axes.reduce(1, *) * abs(image.bitpix) / 8 + 2880
        case .deferred(let image): return headerBytes + image.axes.reduce(1, *) * abs(image.bitpix) / 8 + 2880
        case .banded(let plane): return headerBytes + plane.axes.reduce(1, *) * plane.planes.stride(plane.index) + 2880
        case .table(let table): return headerBytes + table.columns.reduce(0) { $0 + $1.estimatedBytes } + 2880
        }
    }
}

extension TableColumn {
    /// Bytes of the column's values in a binary table (8 per numeric element at most, `width` per string).
    var estimatedBytes: Int {
        if case .string(let values, let width) = data { return values.count * width }
        return data.count * 8
    }
}
