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
        let dataBytes = image.axes.reduce(1, *) * abs(image.bitpix) / 8
        let padded = (dataBytes + 2879) / 2880 * 2880
        let headerBytes = size - padded
        guard headerBytes > 0, headerBytes % 2880 == 0 else {
            throw FITSError(.invalidArgument, "HDU \(index): \(size) bytes measured cannot hold \(padded) bytes of data", file: name)
        }
        let dataStart = offset + headerBytes
        let chunks = chunkBounds(dataStart: dataStart, padded: padded)
        let workers = min(ProcessInfoCores.count, chunks.count)
        let outcomes = Locked([Result<UInt32, FITSError>]())
        Parallel.forEach(workers, chunks: workers) { range in
            for worker in range {
                let outcome = Result { () throws(FITSError) -> UInt32 in
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 64)
                    defer { buffer.deallocate() }
                    var sum: UInt32 = 0
                    for chunk in stride(from: worker, to: chunks.count, by: workers) {
                        let bytes = chunks[chunk]
                        let encoded = clock.measure(.encode) { () -> UnsafeRawBufferPointer in
                            encode(image, bytes: bytes, dataBytes: dataBytes, into: buffer)
                            let encoded = UnsafeRawBufferPointer(start: buffer, count: bytes.count)
                            sum = OnesComplementSum.add(sum, OnesComplementSum.of(encoded))
                            return encoded
                        }
                        try file.write(encoded, at: dataStart + bytes.lowerBound)
                    }
                    return sum
                }
                outcomes.withLock { $0.append(outcome) }
            }
        }
        var dataSum: UInt32 = 0
        for outcome in outcomes.current { dataSum = OnesComplementSum.add(dataSum, try outcome.get()) }
        let header = try clock.measure(.encode) { () throws(FITSError) in
            try headerBlocks(of: hdu, image: image, index: index, dataSum: dataSum, name: name)
        }
        guard header.count == headerBytes else {
            throw FITSError(.io, "HDU \(index)'s header encoded to \(header.count) bytes, \(headerBytes) measured", file: name)
        }
        try header.withUnsafeBytes { bytes in Result { () throws(FITSError) in try file.write(bytes, at: offset) } }.get()
    }

    /// The chunks of the `padded` data bytes starting at file offset `dataStart`, relative to that start. They end
    /// where the file offset is a multiple of `chunkBytes`, so that every write but the first and last covers whole
    /// pages; those bounds are multiples of 64 bytes from the data's start (`dataStart` is a multiple of 2880), so
    /// a chunk holds whole pixels and whole 4-byte words of the checksum.
    private static func chunkBounds(dataStart: Int, padded: Int) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = 0
        while start < padded {
            let end = min(padded, ((dataStart + start) / chunkBytes + 1) * chunkBytes - dataStart)
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    /// Converts the pixels in data bytes `bytes` of `image` into `buffer`, with zeros for the padding past
    /// `dataBytes`.
    private static func encode(_ image: AnyImage, bytes: Range<Int>, dataBytes: Int, into buffer: UnsafeMutableRawPointer) {
        func put<P: FITSPixel>(_ typed: Image<P>) {
            let flip = BigEndianWords.storage(of: P.imageType)?.flip ?? 0
            let stride = MemoryLayout<P>.stride
            let first = bytes.lowerBound / stride, end = min(typed.pixels.count, bytes.upperBound / stride)
            guard first < end else { return }
            typed.pixels.withUnsafeBufferPointer { pixels in
                BigEndianWords.encode(UnsafeBufferPointer(rebasing: pixels[first..<end]), into: buffer, flip: flip)
            }
        }
        switch image {
        case .uint8(let i): put(i)
        case .int16(let i): put(i)
        case .uint16(let i): put(i)
        case .int32(let i): put(i)
        case .uint32(let i): put(i)
        case .int64(let i): put(i)
        case .float32(let i): put(i)
        case .float64(let i): put(i)
        }
        let padding = max(bytes.lowerBound, dataBytes)
        if padding < bytes.upperBound {
            (buffer + (padding - bytes.lowerBound)).initializeMemory(as: UInt8.self, repeating: 0, count: bytes.upperBound - padding)
        }
    }

    /// The header blocks of `hdu` with its real axis lengths and the checksums of data summing to `dataSum`.
    private static func headerBlocks(of hdu: HDU, image: AnyImage, index: Int, dataSum: UInt32, name: String) throws(FITSError) -> [UInt8] {
        var blocks: [UInt8] = []
        let standIn = HDU(header: hdu.header, payload: .image(image.onePixelStandIn))
        _ = try FITSWriter.encodeAlone(standIn, index: index, name: name) { handle throws(FITSError) in
            try setAxes(image.axes, of: handle, name: name)
            try check("set DATASUM", file: name) { status in _ = ffmkys(handle, "DATASUM", "\(dataSum)", "&", &status) }
            try check("clear CHECKSUM", file: name) { status in _ = ffmkys(handle, "CHECKSUM", "0000000000000000", "&", &status) }
            let unsummed = try cards(of: handle, name: name)
            var checksum = [CChar](repeating: 0, count: 17)
            let total = OnesComplementSum.add(unsummed.withUnsafeBytes { OnesComplementSum.of($0) }, dataSum)
            ffesum(UInt(total), 1, &checksum)
            try check("set CHECKSUM", file: name) { status in _ = ffmkys(handle, "CHECKSUM", checksum, "&", &status) }
            blocks = try cards(of: handle, name: name)
            // Back to the stand-in's one pixel, which is all the data the memory file holds when it is closed.
            try setAxes(image.axes.map { _ in 1 }, of: handle, name: name)
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
