import Foundation
import GzipStream

/// Whether a file on disk holds whole FITS HDUs, decided from the headers alone (no data is kept).
///
/// This is how Webbflow tells a finished download from a truncated or still-growing one: the file length must
/// equal the sum of its HDUs, each a header of 2880-byte blocks plus data padded to 2880 bytes. A gzip-compressed
/// file is decompressed as a stream, one block at a time, never whole: a small gzip may expand to gigabytes.
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

    /// What a walk over a file's headers found.
    public struct Survey: Sendable {
        public var verdict: Verdict
        /// The first headers of the file (primary, then extensions), as many as were asked for and present.
        public var headers: [Header] = []
        /// EXTNAME of each extension reached, in order ("" where it has none).
        public var extensionNames: [String] = []
        /// Bytes the headers announce, headers and padded data of the HDUs walked: for a gzip file, its size
        /// decompressed.
        public var announcedBytes = 0
        /// Set when the walk stopped because the headers announced more than the size limit it was given.
        public var sizeRefusal: String?
    }

    public static let blockSize = 2880
    private static let endCard = Array("END     ".utf8)
    private static let extensionNameCard = Array("EXTNAME =".utf8)

    /// Inspects `path`.
    public static func inspect(_ path: String) -> Verdict { survey(path, keepingHeaders: 0).verdict }

    /// Walks the headers of `path`, keeping the first `keepingHeaders` of them parsed; stops once the headers
    /// announce more than `sizeLimit` bytes (headers and data), with `sizeRefusal` saying so.
    public static func survey(_ path: String, keepingHeaders: Int = 2, sizeLimit: Int = .max) -> Survey {
        let source: any HDUByteSource
        do {
            guard let opened = try openSource(path) else { return Survey(verdict: .notFITS("cannot open for reading")) }
            source = opened
        } catch {
            return Survey(verdict: .incomplete("compressed stream cannot be read: \(error)"))
        }
        var survey = walk(source, keepingHeaders: keepingHeaders, sizeLimit: sizeLimit)
        if survey.verdict.isComplete, let cut = source.cutReason { survey.verdict = .incomplete(cut) }
        return survey
    }

    private static func openSource(_ path: String) throws -> (any HDUByteSource)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        let magic = (try? handle.read(upToCount: 2)) ?? Data()
        if magic == Data([0x1f, 0x8b]) {
            try? handle.close()
            return CompressedSource(reader: try GzipReader(path: path))
        }
        try? handle.seek(toOffset: 0)
        return PlainSource(handle: handle)
    }

    /// Walks HDU headers front to back through `source` (data is skipped, never kept).
    static func walk(_ source: any HDUByteSource, keepingHeaders: Int, sizeLimit: Int) -> Survey {
        var survey = Survey(verdict: .complete(hduCount: 0))
        var hdus = 0
        func finish(_ verdict: Verdict) -> Survey {
            survey.verdict = verdict
            return survey
        }
        do {
            while true {
                var layout = LayoutCards()
                var headerBytes: [UInt8] = []
                var extensionName = ""
                var headerLength = 0
                var sawEnd = false
                while !sawEnd {
                    let block = try source.read(blockSize)
                    if hdus > 0, headerLength == 0, block.isEmpty { return finish(.complete(hduCount: hdus)) }
                    if block.count < blockSize {
                        return finish(
                            hdus == 0 && headerLength == 0 && block.count < 80
                                ? .notFITS(block.isEmpty ? "empty file" : "too short to be FITS")
                                : .incomplete(
                                    "header of HDU \(hdus) is cut off at byte \(survey.announcedBytes + headerLength + block.count)"))
                    }
                    if hdus == 0, headerLength == 0, !block.starts(with: Array("SIMPLE  =".utf8)) {
                        return finish(.notFITS("does not start with a SIMPLE card"))
                    }
                    if hdus > 0, headerLength == 0, !block.starts(with: Array("XTENSION=".utf8)) {
                        return finish(.incomplete("the bytes after HDU \(hdus - 1) are not an extension"))
                    }
                    block.withUnsafeBytes { block in
                        for start in stride(from: 0, to: blockSize, by: CardParser.cardLength) {
                            let card = CardBytes(UnsafeRawBufferPointer(rebasing: block[start..<(start + CardParser.cardLength)]))
                            if card.bytes.starts(with: endCard) { sawEnd = true; break }
                            if card.bytes.starts(with: extensionNameCard) {
                                extensionName = card.value(in: 10..<card.count, withComment: false).value?.string ?? ""
                            }
                            layout.read(card)
                        }
                    }
                    if hdus < keepingHeaders { headerBytes += block }
                    headerLength += blockSize
                }
                guard let bitpix = layout.bitpix, let naxis = layout.naxis else {
                    return finish(.incomplete("HDU \(hdus) lacks BITPIX or NAXIS"))
                }
                var elements = naxis == 0 ? 0 : 1
                for axis in stride(from: 1, through: naxis, by: 1) {
                    guard let n = layout.axes[axis], n >= 0 else {
                        return finish(.incomplete("HDU \(hdus) lacks NAXIS\(axis)"))
                    }
                    elements = multiplied(elements, n)
                }
                let pcount = layout.pcount ?? 0
                let gcount = layout.gcount ?? 1
                // Hostile headers may announce sizes past Int.max: those saturate, and are refused below or by any limit.
                let dataBytes = naxis == 0 ? 0 : multiplied(multiplied(abs(bitpix) / 8, max(0, gcount)), added(max(0, pcount), elements))
                guard dataBytes < Int.max - 2 * blockSize else { return finish(.incomplete("HDU \(hdus) announces an impossible size")) }
                let padded = (dataBytes + blockSize - 1) / blockSize * blockSize
                if hdus < keepingHeaders { survey.headers.append(headerBytes.withUnsafeBytes(CardParser.parse(cards:))) }
                if hdus > 0 { survey.extensionNames.append(extensionName) }
                survey.announcedBytes = added(survey.announcedBytes, headerLength + padded)
                if survey.announcedBytes > sizeLimit {
                    survey.sizeRefusal =
                        "its headers announce more than \(sizeLimit >> 20) MB (HDU \(hdus) ends at byte \(survey.announcedBytes))"
                    return finish(.incomplete("not read past HDU \(hdus): \(survey.sizeRefusal!)"))
                }
                let skipped = try source.skip(padded)
                hdus += 1
                if skipped < padded {
                    return finish(
                        .incomplete(
                            "HDU \(hdus - 1) needs \(survey.announcedBytes) bytes but the file has \(survey.announcedBytes - padded + skipped) (truncated)"
                        ))
                }
            }
        } catch {
            return finish(.incomplete("compressed stream cannot be read: \(error)"))
        }
    }
}

private func multiplied(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? .max : product
}

private func added(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
}

/// The bytes of a FITS file, front to back, as the structure walk reads them.
protocol HDUByteSource {
    /// Up to `count` next bytes; fewer only at the end.
    func read(_ count: Int) throws -> [UInt8]
    /// Passes over `count` bytes; returns how many there were.
    func skip(_ count: Int) throws -> Int
    /// Why the bytes stopped before their container says they end (a cut gzip stream); nil when they did not.
    var cutReason: String? { get }
}

/// An uncompressed file: reads at the current offset, skips by seeking.
private final class PlainSource: HDUByteSource {
    private let handle: FileHandle
    private let size: UInt64
    private var offset: UInt64 = 0

    init(handle: FileHandle) {
        self.handle = handle
        size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: 0)
    }

    deinit { try? handle.close() }

    func read(_ count: Int) throws -> [UInt8] {
        try handle.seek(toOffset: offset)
        let bytes = [UInt8]((try handle.read(upToCount: count)) ?? Data())
        offset += UInt64(bytes.count)
        return bytes
    }

    func skip(_ count: Int) throws -> Int {
        let skipped = min(UInt64(count), size - min(size, offset))
        offset += skipped
        return Int(skipped)
    }

    var cutReason: String? { nil }
}

/// A gzip file, decompressed as it is read; skipped data is decompressed and dropped.
private final class CompressedSource: HDUByteSource {
    private let reader: GzipReader

    init(reader: GzipReader) { self.reader = reader }

    func read(_ count: Int) throws -> [UInt8] { try reader.read(count) }
    func skip(_ count: Int) throws -> Int { try reader.skip(count) }

    var cutReason: String? {
        reader.isFinished ? nil : "gzip stream is cut after \(reader.position) bytes decompressed (download not finished?)"
    }
}
