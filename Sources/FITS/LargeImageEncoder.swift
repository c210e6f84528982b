import CFITSIO
import Platform

#if canImport(Glibc)
import Glibc
#endif

/// Encodes a large image HDU with its pixels converted to big-endian on all cores, straight into the HDU's buffer.
///
/// cfitsio converts an image on the calling thread, into a buffer it zeroes first, and then sums it again for the
/// checksum: about 30 ms for a cleaned full-frame SCI plane, all of it after the step has finished and before the
/// product is on disk. Here cfitsio still writes the header, from a one-pixel stand-in with the same cards and
/// pixel type (its NAXISn lengths set to the real ones while the cards are read out), so that the cards are
/// formatted exactly as it formats them; the pixels, DATASUM and CHECKSUM (the standard's ones'-complement sums,
/// `OnesComplementSum`, encoded by cfitsio's `ffesum`) are done here.
enum LargeImageEncoder {
    /// `hdu`, whose payload is `image`, encoded into the `size` bytes measured for it (`FITSWriter.plan`).
    static func encode(_ hdu: HDU, image: AnyImage, index: Int, size: Int, name: String) throws(FITSError) -> HDUBytes {
        let dataBytes = image.axes.reduce(1, *) * abs(image.bitpix) / 8
        let padded = (dataBytes + 2879) / 2880 * 2880
        let headerBytes = size - padded
        guard headerBytes > 0, headerBytes % 2880 == 0 else {
            throw FITSError(.invalidArgument, "HDU \(index): \(size) bytes measured cannot hold \(padded) bytes of data", file: name)
        }
        guard let base = malloc(size) else { throw FITSError(.io, "out of memory for \(size) bytes", file: name) }
        let bytes = FileBytes(adopting: base, count: size)
        HugePages.advise(base, bytes: size)
        let data = base + headerBytes
        encodePixels(of: image, into: data)
        (data + dataBytes).initializeMemory(as: UInt8.self, repeating: 0, count: padded - dataBytes)
        let dataSum = OnesComplementSum.inParallel(UnsafeRawBufferPointer(start: data, count: padded))
        let header = try headerBlocks(of: hdu, image: image, index: index, dataSum: dataSum, name: name)
        guard header.count == headerBytes else {
            throw FITSError(.io, "HDU \(index)'s header encoded to \(header.count) bytes, \(headerBytes) measured", file: name)
        }
        header.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: headerBytes) }
        return HDUBytes(bytes: bytes, range: 0..<size)
    }

    private static func encodePixels(of image: AnyImage, into data: UnsafeMutableRawPointer) {
        func put<P: FITSPixel>(_ typed: Image<P>) {
            let flip = BigEndianWords.storage(of: P.imageType)?.flip ?? 0
            typed.pixels.withUnsafeBufferPointer { BigEndianWords.encode($0, into: data, flip: flip) }
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
