import Foundation

/// Whether a file on disk holds whole FITS HDUs, decided from the headers alone (no data is read).
///
/// This is how Webbflow tells a finished download from a truncated or still-growing one: the file length must
/// equal the sum of its HDUs, each a header of 2880-byte blocks plus data padded to 2880 bytes.
public enum FITSStructure {
    /// The verdict on one file.
    public enum Verdict: Sendable, Equatable {
        /// Headers and data add up to the file length exactly.
        case complete(hduCount: Int)
        /// The file is shorter than its headers announce, or damaged; the reason says which.
        case incomplete(String)
        /// Not a FITS file at all (no SIMPLE card at the start).
        case notFITS(String)

        public var isComplete: Bool { if case .complete = self { true } else { false } }
    }

    public static let blockSize = 2880
    private static let endCard = Array("END     ".utf8)
    private static let layoutKeyPrefixes = ["BITPIX", "NAXIS", "PCOUNT", "GCOUNT"].map { Array($0.utf8) }

    /// Inspects `path`. Gzip-compressed files are checked by decompressing through cfitsio.
    public static func inspect(_ path: String) -> Verdict {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .notFITS("cannot open for reading") }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        try? handle.seek(toOffset: 0)
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        if magic == Data([0x1f, 0x8b]) { return inspectCompressed(path) }
        if size == 0 { return .notFITS("empty file") }
        return walk(size: size) { offset, count in
            try? handle.seek(toOffset: UInt64(offset))
            return (try? handle.read(upToCount: count)) ?? Data()
        }
    }

    /// Walks HDU headers through `read(offset, count)` and compares the announced length with `size`.
    static func walk(size: Int, read: (Int, Int) -> Data) -> Verdict {
        var offset = 0
        var hdus = 0
        while offset < size {
            var keywords: [String: String] = [:]
            var headerBytes = 0
            var sawEnd = false
            while !sawEnd {
                let block = read(offset + headerBytes, blockSize)
                if block.count < blockSize {
                    return hdus == 0 && headerBytes == 0 && block.count < 80
                        ? .notFITS("too short to be FITS")
                        : .incomplete("header of HDU \(hdus) is cut off at byte \(offset + headerBytes + block.count) of \(size)")
                }
                if hdus == 0, headerBytes == 0, !block.starts(with: Array("SIMPLE  =".utf8)) {
                    return .notFITS("does not start with a SIMPLE card")
                }
                if hdus > 0, headerBytes == 0, !block.starts(with: Array("XTENSION=".utf8)) {
                    return .incomplete("\(size - offset) bytes after HDU \(hdus - 1) are not an extension")
                }
                let bytes = [UInt8](block)
                for start in stride(from: 0, to: blockSize, by: 80) {
                    let card = bytes[start..<(start + 80)]
                    if card.starts(with: endCard) { sawEnd = true; break }
                    // Only the layout keywords matter here; skip the rest without building strings.
                    guard card[start + 8] == UInt8(ascii: "="), layoutKeyPrefixes.contains(where: { card.starts(with: $0) }) else { continue }
                    let key = String(decoding: card.prefix(8), as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    let value = String(decoding: card.dropFirst(10).prefix { $0 != UInt8(ascii: "/") }, as: UTF8.self)
                    keywords[key] = keywords[key] ?? value.trimmingCharacters(in: .whitespaces)
                }
                headerBytes += blockSize
            }
            guard let bitpix = keywords["BITPIX"].flatMap({ Int($0) }), let naxis = keywords["NAXIS"].flatMap({ Int($0) }) else {
                return .incomplete("HDU \(hdus) lacks BITPIX or NAXIS")
            }
            var elements = naxis == 0 ? 0 : 1
            for axis in stride(from: 1, through: naxis, by: 1) {
                guard let n = keywords["NAXIS\(axis)"].flatMap({ Int($0) }), n >= 0 else {
                    return .incomplete("HDU \(hdus) lacks NAXIS\(axis)")
                }
                elements *= n
            }
            let pcount = keywords["PCOUNT"].flatMap { Int($0) } ?? 0
            let gcount = keywords["GCOUNT"].flatMap { Int($0) } ?? 1
            let dataBytes = naxis == 0 ? 0 : abs(bitpix) / 8 * gcount * (pcount + elements)
            let padded = (dataBytes + blockSize - 1) / blockSize * blockSize
            offset += headerBytes + padded
            hdus += 1
            if offset > size {
                return .incomplete("HDU \(hdus - 1) needs \(offset) bytes but the file has \(size) (truncated)")
            }
        }
        return .complete(hduCount: hdus)
    }

    /// ISIZE, the last four bytes of a gzip stream: its uncompressed length mod 2^32; nil when the file cannot
    /// be read or is too short to be a gzip stream.
    public static func gzipUncompressedSize(_ path: String) -> UInt64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end >= 18, (try? handle.seek(toOffset: end - 4)) != nil,
              let trailer = try? handle.read(upToCount: 4), trailer.count == 4 else { return nil }
        return trailer.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// A gzip stream ends with ISIZE, the uncompressed length mod 2^32. A cut stream almost never ends with
    /// bytes that equal the length its decompressed headers announce, and cfitsio itself fails on most cuts.
    private static func inspectCompressed(_ path: String) -> Verdict {
        guard let isize = gzipUncompressedSize(path) else { return .incomplete("gzip stream too short or its trailer unreadable") }
        do {
            let file = try FITSFile(path: path)
            let count = try file.hduCount()
            let length = try file.endOfData(hdu: count - 1)
            guard UInt64(length) & 0xFFFF_FFFF == isize else {
                return .incomplete("gzip stream is cut: it announces \(isize) bytes, the FITS headers need \(length)")
            }
            return .complete(hduCount: count)
        } catch {
            return .incomplete("compressed stream cannot be read: \(error.message)")
        }
    }
}
