import CFITSIO
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// Writes a large image HDU into its place in a file, its pixels converted to big-endian a chunk at a time on all
/// cores.
///
/// cfitsio converts an image on the calling thread, into a buffer it zeroes first, and then sums it again for the
/// checksum. Here each chunk of pixels is converted into a small buffer that stays in the core's cache, summed and
/// written from there: no buffer the size of the image is made, which for ATM's nine oversampled planes was
/// 450 MB of fresh pages for the kernel to fault in and zero, read back once more by the write. One worker per core
/// takes every n-th chunk, so that one converts while another writes and the file still fills front to back.
/// cfitsio still writes the header, from a one-pixel stand-in with the same cards and pixel type (its NAXISn
/// lengths set to the real ones while the cards are read out), so that the cards are formatted exactly as it
/// formats them; the pixels, DATASUM and CHECKSUM (the standard's ones'-complement sums, `OnesComplementSum`,
/// encoded by cfitsio's `ffesum`) are done here. The header goes in last, once the data's sum is known.
enum LargeImageEncoder {
    /// Bytes per chunk: half a core's L2 cache here, so that the write reads what the conversion just stored.
    static let chunkBytes = 1 << 19

    /// Writes `hdu`, whose payload is `image`, into the `size` bytes measured for it (`FITSWriter.plan`) at `offset`
    /// in `file`. `clock` is told the time spent converting and summing, as `encode`.
    static func write(
        _ hdu: HDU, image: AnyImage, index: Int, size: Int, name: String, to file: FileOutput, at offset: Int,
        clock: PhaseClock? = nil
    ) throws(FITSError) {
        let data = try DataPlacement(
            axes: image.axes, bytesPerPixel: abs(image.bitpix) / 8, size: size, offset: offset, index: index, name: name)
        let chunks = data.chunks(of: 0..<data.padded)
        let workers = min(ProcessInfoCores.count, chunks.count)
        let flip = flip(of: image)
        let outcomes = Locked([Result<UInt32, FITSError>]())
        Parallel.forEach(workers, chunks: workers) { range in
            for worker in range {
                let outcome = Result { () throws(FITSError) -> UInt32 in
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 64)
                    defer { buffer.deallocate() }
                    var sum: UInt32 = 0
                    for chunk in stride(from: worker, to: chunks.count, by: workers) {
                        let bytes = chunks[chunk], end = min(bytes.upperBound, data.dataBytes)
                        let written = image.withPixelBytes { pixels in
                            Result { () throws(FITSError) in
                                try data.writeChunk(
                                    UnsafeRawBufferPointer(rebasing: pixels[min(bytes.lowerBound, end)..<end]), bytes: bytes, flip: flip,
                                    buffer: buffer, to: file, clock: clock)
                            }
                        }
                        sum = OnesComplementSum.add(sum, try written.get())
                    }
                    return sum
                }
                outcomes.withLock { $0.append(outcome) }
            }
        }
        var dataSum: UInt32 = 0
        for outcome in outcomes.current { dataSum = OnesComplementSum.add(dataSum, try outcome.get()) }
        try writeHeader(of: hdu, standIn: image.onePixelStandIn, axes: image.axes, dataSum: dataSum, at: data, to: file, clock: clock)
    }

    /// Where an image's header and data go in a file, and how its data bytes are cut into chunks.
    struct DataPlacement: Sendable {
        let offset: Int
        let headerBytes: Int
        let bytesPerPixel: Int
        let dataBytes: Int
        /// Data bytes with the padding to a whole number of 2880-byte blocks.
        let padded: Int
        let index: Int
        let name: String

        /// The placement of the data of an image of `axes` in the `size` bytes measured for its HDU at `offset`.
        init(axes: [Int], bytesPerPixel: Int, size: Int, offset: Int, index: Int, name: String) throws(FITSError) {
            self.bytesPerPixel = bytesPerPixel
            dataBytes = axes.reduce(1, *) * bytesPerPixel
            padded = (dataBytes + 2879) / 2880 * 2880
            headerBytes = size - padded
            self.offset = offset
            self.index = index
            self.name = name
            guard headerBytes > 0, headerBytes % 2880 == 0 else {
                throw FITSError(.invalidArgument, "HDU \(index): \(size) bytes measured cannot hold \(padded) bytes of data", file: name)
            }
        }

        var dataStart: Int { offset + headerBytes }

        /// The chunks of data bytes `bytes` (a range of the padded data). They end where the file offset is a
        /// multiple of `chunkBytes`, so that every write but the first and last covers whole pages; those bounds are
        /// multiples of 64 bytes from the data's start (`dataStart` is a multiple of 2880), so a chunk holds whole
        /// pixels and whole 4-byte words of the checksum when `bytes` starts on such a word.
        func chunks(of bytes: Range<Int>) -> [Range<Int>] {
            var chunks: [Range<Int>] = []
            var start = bytes.lowerBound
            while start < bytes.upperBound {
                let end = min(bytes.upperBound, ((dataStart + start) / chunkBytes + 1) * chunkBytes - dataStart)
                chunks.append(start..<end)
                start = end
            }
            return chunks
        }

        /// Converts data bytes `bytes` to big-endian in `buffer` (`chunkBytes` long), from `pixels`, the native pixels
        /// of those bytes that are data (zeros for the padding after them), writes them into place and returns
        /// their ones'-complement sum. `clock` is told the conversion and summing, as `encode`.
        func writeChunk(
            _ pixels: UnsafeRawBufferPointer, bytes: Range<Int>, flip: UInt64, buffer: UnsafeMutableRawPointer, to file: FileOutput,
            clock: PhaseClock?
        ) throws(FITSError) -> UInt32 {
            let (encoded, sum) = clock.measure(.encode) { () -> (UnsafeRawBufferPointer, UInt32) in
                BigEndianWords.encode(pixels, bytesPerPixel: bytesPerPixel, into: buffer, flip: flip)
                if pixels.count < bytes.count {
                    (buffer + pixels.count).initializeMemory(as: UInt8.self, repeating: 0, count: bytes.count - pixels.count)
                }
                let encoded = UnsafeRawBufferPointer(start: buffer, count: bytes.count)
                return (encoded, OnesComplementSum.of(encoded))
            }
            try file.write(encoded, at: dataStart + bytes.lowerBound)
            return sum
        }
    }

    /// Writes the header of `hdu` (an image of `standIn`'s pixel type and `axes`) with the checksums of data summing
    /// to `dataSum` in front of its data. `clock` is told the time spent, as `encode`.
    static func writeHeader(
        of hdu: HDU, standIn: AnyImage, axes: [Int], dataSum: UInt32, at data: DataPlacement, to file: FileOutput, clock: PhaseClock?
    ) throws(FITSError) {
        let header = try clock.measure(.encode) { () throws(FITSError) in
            try headerBlocks(of: hdu, standIn: standIn, axes: axes, index: data.index, dataSum: dataSum, name: data.name)
        }
        guard header.count == data.headerBytes else {
            throw FITSError(
                .io, "HDU \(data.index)'s header encoded to \(header.count) bytes, \(data.headerBytes) measured", file: data.name)
        }
        try header.withUnsafeBytes { bytes in Result { () throws(FITSError) in try file.write(bytes, at: data.offset) } }.get()
    }

    /// The bits to flip in each stored word of `image`'s pixel type (the unsigned types' BZERO convention).
    static func flip(of image: AnyImage) -> UInt64 {
        func flip<P: FITSPixel>(_ typed: Image<P>) -> UInt64 { BigEndianWords.storage(of: P.imageType)?.flip ?? 0 }
        switch image {
        case .uint8(let i): return flip(i)
        case .int16(let i): return flip(i)
        case .uint16(let i): return flip(i)
        case .int32(let i): return flip(i)
        case .uint32(let i): return flip(i)
        case .int64(let i): return flip(i)
        case .float32(let i): return flip(i)
        case .float64(let i): return flip(i)
        }
    }

    /// The header blocks of `hdu`, an image like `standIn` with axis lengths `axes`, and the checksums of data summing to `dataSum`.
    private static func headerBlocks(
        of hdu: HDU, standIn: AnyImage, axes: [Int], index: Int, dataSum: UInt32, name: String
    ) throws(FITSError) -> [UInt8] {
        var blocks: [UInt8] = []
        let standInHDU = HDU(header: hdu.header, payload: .image(standIn))
        _ = try FITSWriter.encodeAlone(standInHDU, index: index, name: name) { handle throws(FITSError) in
            try setAxes(axes, of: handle, name: name)
            try check("set DATASUM", file: name) { status in _ = ffmkys(handle, "DATASUM", "\(dataSum)", "&", &status) }
            try check("clear CHECKSUM", file: name) { status in _ = ffmkys(handle, "CHECKSUM", "0000000000000000", "&", &status) }
            let unsummed = try cards(of: handle, name: name)
            var checksum = [CChar](repeating: 0, count: 17)
            let total = OnesComplementSum.add(unsummed.withUnsafeBytes { OnesComplementSum.of($0) }, dataSum)
            ffesum(UInt(total), 1, &checksum)
            try check("set CHECKSUM", file: name) { status in _ = ffmkys(handle, "CHECKSUM", checksum, "&", &status) }
            blocks = try cards(of: handle, name: name)
            // Back to the stand-in's one pixel, which is all the data the memory file holds when it is closed.
            try setAxes(axes.map { _ in 1 }, of: handle, name: name)
        }
        return blocks
    }

    private static func setAxes(_ axes: [Int], of handle: UnsafeMutablePointer<fitsfile>?, name: String) throws(FITSError) {
        for (axis, length) in axes.enumerated() {
            try check("set NAXIS\(axis + 1)", file: name) { status in _ = ffmkyj(handle, "NAXIS\(axis + 1)", Int64(length), "&", &status) }
        }
    }

    /// The current header's cards, END included, padded with blanks to whole 2880-byte blocks.
    private static func cards(of handle: UnsafeMutablePointer<fitsfile>?, name: String) throws(FITSError) -> [UInt8] {
        var text: UnsafeMutablePointer<CChar>?
        var count: Int32 = 0
        try check("read out the header", file: name) { status in _ = ffhdr2str(handle, 0, nil, 0, &text, &count, &status) }
        guard let text else { throw FITSError(.io, "cfitsio returned no header text", file: name) }
        var bytes = Array(UnsafeRawBufferPointer(start: text, count: strlen(text)))
        var status: Int32 = 0
        fffree(text, &status)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (2880 - bytes.count % 2880) % 2880))
        return bytes
    }
}
