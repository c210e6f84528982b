import CFITSIO
import Dispatch
import Platform

/// An open FITS file (read-only), positioned HDU by HDU through cfitsio. Also opens `.fits.gz`
/// (cfitsio decompresses it into memory). HDU indices are zero-based: 0 is the primary HDU.
///
/// Not thread-safe: use one `FITSFile` per thread (separate handles are safe; cfitsio is built reentrant).
public final class FITSFile {
    public let path: String
    private var handle: UnsafeMutablePointer<fitsfile>?
    /// For a file opened from memory: its bytes and the cells cfitsio's memory driver points to, kept alive
    /// until the handle is closed (`deinit` closes it before stored properties are released).
    private let memory: MemoryCells?

    /// Opens `path` for reading.
    public init(path: String) throws(FITSError) {
        self.path = path
        memory = nil
        var pointer: UnsafeMutablePointer<fitsfile>?
        try check("open", file: path) { status in _ = cfitsio_open_file(&pointer, path, READONLY, &status) }
        handle = pointer
    }

    /// Opens a file already read into memory; `path` names it in messages. A gzip-compressed file is opened
    /// from `path` instead, because cfitsio would swap in a decompressed buffer of its own.
    public init(bytes: FileBytes, path: String) throws(FITSError) {
        self.path = path
        guard !bytes.isGzip else {
            memory = nil
            var pointer: UnsafeMutablePointer<fitsfile>?
            try check("open", file: path) { status in _ = cfitsio_open_file(&pointer, path, READONLY, &status) }
            handle = pointer
            return
        }
        let cells = MemoryCells(base: bytes.base, count: bytes.count, owner: bytes)
        memory = cells
        var pointer: UnsafeMutablePointer<fitsfile>?
        try check("open", file: path) { status in
            _ = ffomem(&pointer, path, READONLY, cells.address, cells.size, 0, nil, &status)
        }
        handle = pointer
    }

    deinit {
        var status: Int32 = 0
        if let handle { ffclos(handle, &status) }
    }

    /// Number of HDUs in the file.
    public func hduCount() throws(FITSError) -> Int {
        var n: Int32 = 0
        try check("count HDUs", file: path) { status in _ = ffthdu(handle, &n, &status) }
        return Int(n)
    }

    private func move(to index: Int) throws(FITSError) -> Int32 {
        var type: Int32 = 0
        var status: Int32 = 0
        ffmahd(handle, Int32(index + 1), &type, &status)
        if status == END_OF_FILE || status == BAD_HDU_NUM {
            throw FITSError(.missingHDU, "no HDU \(index)", file: path, status: status)
        }
        if status != 0 { throw FITSError.library(status: status, operation: "move to HDU \(index)", file: path) }
        return type
    }

    /// The header of HDU `index`, without structural keywords.
    public func header(at index: Int) throws(FITSError) -> Header {
        _ = try move(to: index)
        return try currentHeader()
    }

    /// The raw 80-character records of HDU `index`, structural keywords included.
    public func records(at index: Int) throws(FITSError) -> [String] {
        _ = try move(to: index)
        return try currentRecords()
    }

    private func currentRecords() throws(FITSError) -> [String] {
        var count: Int32 = 0
        var more: Int32 = 0
        try check("read header size", file: path) { status in _ = ffghsp(handle, &count, &more, &status) }
        var records: [String] = []
        records.reserveCapacity(Int(count))
        var card = [CChar](repeating: 0, count: Int(FLEN_CARD))
        for i in 0..<count {
            try check("read header record \(i + 1)", file: path) { status in _ = ffgrec(handle, i + 1, &card, &status) }
            records.append(decodeCString(card))
        }
        return records
    }

    private func currentHeader() throws(FITSError) -> Header { CardParser.parse(try currentRecords()) }

    /// Index of the HDU with this EXTNAME (and EXTVER, when not nil), or nil when there is none.
    public func index(named name: String, version: Int? = nil) throws(FITSError) -> Int? {
        var status: Int32 = 0
        var n = Array(name.utf8CString)
        ffmnhd(handle, ANY_HDU, &n, Int32(version ?? 0), &status)
        if status == BAD_HDU_NUM { return nil }
        if status != 0 { throw FITSError.library(status: status, operation: "find HDU \(name)", file: path) }
        var number: Int32 = 0
        ffghdn(handle, &number)
        return Int(number) - 1
    }

    /// Reads HDU `index` completely. With `verifyChecksums`, checksums are judged as `ChecksumVerdict` says: a
    /// DATASUM that does not match throws; a header edited after its CHECKSUM was written is read, without an
    /// `origin` (see `readContents` for the warning). An HDU read from memory with both checksums present and
    /// verified keeps its bytes as its `origin`.
    ///
    /// When `decode` says no for the HDU's header, the pixels of an image HDU of a file opened from memory are
    /// left encoded (`DeferredImage`); its header and checksums are read and verified all the same.
    public func read(at index: Int, verifyChecksums: Bool = true, decode: (Header) -> Bool = { _ in true }) throws(FITSError) -> HDU {
        try readJudged(at: index, verifyChecksums: verifyChecksums, decode: decode).hdu
    }

    /// Reads HDU `index` and returns its checksum verdict with it; `clock` is told the checksum and decoding time.
    private func readJudged(at index: Int, verifyChecksums: Bool, decode: (Header) -> Bool, clock: PhaseClock? = nil) throws(FITSError)
        -> (hdu: HDU, verdict: ChecksumVerdict)
    {
        let type = try move(to: index)
        let header = try clock.measure(.decode) { () throws(FITSError) in try currentHeader() }
        let verdict =
            verifyChecksums ? try clock.measure(.checksum) { () throws(FITSError) in try verifyCurrentChecksum(index: index) } : .absent
        var hdu = try clock.measure(.decode) { () throws(FITSError) in try payload(type: type, header: header, index: index, decode: decode)
        }
        if verdict == .verified, let bytes = memory?.owner {
            var headerStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
            try check("locate HDU \(index)", file: path) { status in _ = ffghadll(handle, &headerStart, &dataStart, &dataEnd, &status) }
            if dataEnd <= bytes.count {
                hdu.origin = HDUOrigin(bytes: bytes, range: Int(headerStart)..<Int(dataEnd), wasPrimary: index == 0)
            }
        }
        return (hdu, verdict)
    }

    /// The current HDU (of cfitsio type `type`) with its pixels or table, or its image left encoded when `decode`
    /// says no.
    private func payload(type: Int32, header: Header, index: Int, decode: (Header) -> Bool) throws(FITSError) -> HDU {
        switch type {
        case IMAGE_HDU:
            let axes = try currentAxes()
            if axes.isEmpty || axes.contains(0) {
                return HDU(header: header, payload: .empty)
            } else if !decode(header), let bytes = memory?.owner {
                var bitpix: Int32 = 0
                try check("read BITPIX", file: path) { status in _ = ffgidt(handle, &bitpix, &status) }
                return HDU(
                    header: header,
                    payload: .deferred(
                        DeferredImage(
                            bytes: bytes, index: index, path: path, axes: axes,
                            bitpix: Int(bitpix))))
            } else {
                return HDU(header: header, payload: .image(try currentImage(axes: axes)))
            }
        case BINARY_TBL:
            return HDU(header: header, payload: .table(try currentTable()))
        default:
            throw FITSError(.unsupported, "HDU \(index) is an ASCII table, which Webbflow does not read", file: path)
        }
    }

    /// Reads every HDU (see `readContents`, which also returns the warnings).
    public func readAll(verifyChecksums: Bool = true, decode: @Sendable (Header) -> Bool = { _ in true }) throws(FITSError) -> [HDU] {
        try readContents(verifyChecksums: verifyChecksums, decode: decode).hdus
    }

    /// Reads every HDU, and says which headers were edited after their checksums were written. A file opened
    /// from memory is read by one handle per HDU on all cores (checksum verification and byte swapping are most of
    /// the cost, and cfitsio handles are independent). `decode` chooses the image HDUs whose pixels are decoded
    /// now (see `read(at:verifyChecksums:decode:)`). `clock` is told the time spent verifying and decoding.
    public func readContents(
        verifyChecksums: Bool = true, decode: @Sendable (Header) -> Bool = { _ in true },
        clock: PhaseClock? = nil
    ) throws(FITSError) -> FITSContents {
        let count = try hduCount()
        var judged: [(hdu: HDU, verdict: ChecksumVerdict)] = []
        if let bytes = memory?.owner, count > 1 {
            let results = ResultSlots<(hdu: HDU, verdict: ChecksumVerdict)>(count: count)
            let path = self.path
            DispatchQueue.concurrentPerform(iterations: count) { index in
                results.store(
                    index,
                    Result { () throws(FITSError) -> (hdu: HDU, verdict: ChecksumVerdict) in
                        try FITSFile(bytes: bytes, path: path).readJudged(
                            at: index, verifyChecksums: verifyChecksums, decode: decode,
                            clock: clock)
                    })
            }
            judged = try results.values()
        } else {
            for i in 0..<count { judged.append(try readJudged(at: i, verifyChecksums: verifyChecksums, decode: decode, clock: clock)) }
        }
        let warnings = judged.indices.filter { judged[$0].verdict == .headerEdited }.map { index in
            "HDU \(index): CHECKSUM does not match but DATASUM does: the header was edited after its checksum was written "
                + "(as jwst does when it re-saves a file); the data are intact"
        }
        return FITSContents(hdus: judged.map(\.hdu), warnings: warnings)
    }

    /// Reads the image of HDU `index` as element type `P`, converting when the stored type differs.
    public func readImage<P: FITSPixel>(at index: Int, as type: P.Type = P.self) throws(FITSError) -> Image<P> {
        guard try move(to: index) == IMAGE_HDU else {
            throw FITSError(.invalidArgument, "HDU \(index) is not an image", file: path)
        }
        return try readPixels(axes: try currentAxes())
    }

    /// Axis lengths of the image in HDU `index` without reading its pixels.
    public func imageAxes(at index: Int) throws(FITSError) -> [Int] {
        guard try move(to: index) == IMAGE_HDU else { return [] }
        return try currentAxes()
    }

    /// Byte offset just past the (padded) data of HDU `index`: for the last HDU, the file's FITS length.
    public func endOfData(hdu index: Int) throws(FITSError) -> Int {
        _ = try move(to: index)
        var headerStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        try check("locate HDU \(index)", file: path) { status in _ = ffghadll(handle, &headerStart, &dataStart, &dataEnd, &status) }
        return Int(dataEnd)
    }

    /// Checks CHECKSUM and DATASUM of HDU `index`; true when both are absent or correct.
    public func checksumsAreValid(at index: Int) throws(FITSError) -> Bool {
        _ = try move(to: index)
        do { return try verifyCurrentChecksum(index: index) != .headerEdited } catch  where error.kind == .checksumMismatch { return false }
    }

    /// Judges the stored checksums of the current HDU (`ChecksumVerdict`), throwing for corruption. A file in
    /// memory is summed here (`OnesComplementSum`), several times faster than cfitsio's `ffvcks`, which verifies
    /// files read from disk.
    private func verifyCurrentChecksum(index: Int) throws(FITSError) -> ChecksumVerdict {
        var dataOK: Int32 = 0
        var hduOK: Int32 = 0
        if let bytes = memory?.owner {
            (dataOK, hduOK) = try verifyInMemory(bytes, index: index)
        } else {
            try check("verify checksum of HDU \(index)", file: path) { status in _ = ffvcks(handle, &dataOK, &hduOK, &status) }
        }
        do {
            return try ChecksumVerdict(dataSum: dataOK, checksum: hduOK)
        } catch {
            throw FITSError(.checksumMismatch, "HDU \(index): \(error.reason) (file corrupted)", file: path)
        }
    }

    /// `ffvcks`'s verdicts (1 correct, 0 absent, −1 wrong) for DATASUM and CHECKSUM of the current HDU of an
    /// in-memory file.
    private func verifyInMemory(_ bytes: FileBytes, index: Int) throws(FITSError) -> (data: Int32, hdu: Int32) {
        let storedDataSum = try keywordText("DATASUM"), storedChecksum = try keywordText("CHECKSUM")
        guard storedDataSum != nil || storedChecksum != nil else { return (0, 0) }
        var headerStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        try check("locate HDU \(index)", file: path) { status in _ = ffghadll(handle, &headerStart, &dataStart, &dataEnd, &status) }
        guard headerStart <= dataStart, dataStart <= dataEnd, Int(dataEnd) <= bytes.count else {
            throw FITSError(.io, "HDU \(index) extends past the end of the file", file: path)
        }
        let sum = { (range: Range<Int64>) in
            OnesComplementSum.of(UnsafeRawBufferPointer(start: bytes.base + Int(range.lowerBound), count: range.count))
        }
        let dataSum = sum(dataStart..<dataEnd)
        var verdicts: (data: Int32, hdu: Int32) = (0, 0)
        if let storedDataSum {
            let stored = UInt32(String(storedDataSum.filter { $0 != " " }))
            verdicts.data = stored.map { OnesComplementSum.equal($0, dataSum) } == true ? 1 : -1
        }
        if storedChecksum != nil {
            let total = OnesComplementSum.add(sum(headerStart..<dataStart), dataSum)
            verdicts.hdu = OnesComplementSum.equal(total, 0) ? 1 : -1
        }
        return verdicts
    }

    /// The value of a string keyword of the current HDU, nil when it is absent.
    private func keywordText(_ name: String) throws(FITSError) -> String? {
        var value = [CChar](repeating: 0, count: Int(FLEN_VALUE))
        var status: Int32 = 0
        ffgkys(handle, name, &value, nil, &status)
        if status == KEY_NO_EXIST { return nil }
        if status != 0 { throw FITSError.library(status: status, operation: "read \(name)", file: path) }
        return decodeCString(value)
    }

    private func currentAxes() throws(FITSError) -> [Int] {
        var naxis: Int32 = 0
        try check("read NAXIS", file: path) { status in _ = ffgidm(handle, &naxis, &status) }
        guard naxis > 0 else { return [] }
        var axes = [Int64](repeating: 0, count: Int(naxis))
        try check("read image size", file: path) { status in _ = ffgiszll(handle, naxis, &axes, &status) }
        return axes.map { Int($0) }
    }

    private func currentImage(axes: [Int]) throws(FITSError) -> AnyImage {
        var type: Int32 = 0
        try check("read image type", file: path) { status in _ = ffgiet(handle, &type, &status) }
        switch type {
        case BYTE_IMG: return .uint8(try readPixels(axes: axes))
        case SBYTE_IMG, SHORT_IMG: return .int16(try readPixels(axes: axes))
        case USHORT_IMG: return .uint16(try readPixels(axes: axes))
        case LONG_IMG: return .int32(try readPixels(axes: axes))
        case ULONG_IMG: return .uint32(try readPixels(axes: axes))
        case LONGLONG_IMG, ULONGLONG_IMG: return .int64(try readPixels(axes: axes))
        case FLOAT_IMG: return .float32(try readPixels(axes: axes))
        default: return .float64(try readPixels(axes: axes))
        }
    }

    /// Reads all pixels straight into the array's storage: decoded from the file's bytes when they are stored as
    /// `P` (`BigEndianWords`), else one copy from cfitsio's buffers; no boxing.
    private func readPixels<P: FITSPixel>(axes: [Int]) throws(FITSError) -> Image<P> {
        let count = axes.reduce(1, *)
        if let stored = try storedWords(of: P.self, count: count) {
            return Image(
                axes: axes, pixels: [P](hugePagesCount: count) { BigEndianWords.decode(stored.start, into: $0, flip: stored.flip) })
        }
        var status: Int32 = 0
        let pixels = [P](hugePagesCount: count) { buffer in
            var anyNull: Int32 = 0
            ffgpv(handle, P.datatype, 1, Int64(count), nil, buffer.baseAddress, &anyNull, &status)
            if status != 0 { buffer.initialize(repeating: .zero) }
        }
        if status != 0 { throw FITSError.library(status: status, operation: "read \(count) pixels", file: path) }
        return Image(axes: axes, pixels: pixels)
    }

    /// Where the current image's `count` pixels lie in the file's bytes when they are stored as `P` without
    /// scaling, and the bits to flip; nil when cfitsio must decode them (a file not in memory, a compressed image,
    /// another stored type, BSCALE ≠ 1 or another BZERO).
    private func storedWords<P: FITSPixel>(of type: P.Type, count: Int) throws(FITSError) -> (start: UnsafeRawPointer, flip: UInt64)? {
        guard let bytes = memory?.owner, let storage = BigEndianWords.storage(of: P.imageType) else { return nil }
        var status: Int32 = 0
        guard fits_is_compressed_image(handle, &status) == 0, status == 0 else { return nil }
        var bitpix: Int32 = 0
        var headerStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        try check("read image layout", file: path) { status in
            _ = ffgidt(handle, &bitpix, &status)
            _ = ffghadll(handle, &headerStart, &dataStart, &dataEnd, &status)
        }
        guard bitpix == storage.bitpix, try realKey("BSCALE") ?? 1 == 1, try realKey("BZERO") ?? 0 == storage.zero,
            Int(dataStart) + count * MemoryLayout<P>.stride <= bytes.count
        else { return nil }
        return (UnsafeRawPointer(bytes.base + Int(dataStart)), storage.flip)
    }

    private func realKey(_ name: String) throws(FITSError) -> Double? {
        var value = 0.0
        var status: Int32 = 0
        ffgkyd(handle, name, &value, nil, &status)
        if status == KEY_NO_EXIST { return nil }
        if status != 0 { throw FITSError.library(status: status, operation: "read \(name)", file: path) }
        return value
    }

    private func currentTable() throws(FITSError) -> Table {
        var columnCount: Int32 = 0
        var rows: Int64 = 0
        try check("read table size", file: path) { status in
            ffgncl(handle, &columnCount, &status)
            ffgnrwll(handle, &rows, &status)
        }
        var columns: [TableColumn] = []
        for c in 1...max(columnCount, 1) where columnCount > 0 {
            columns.append(try readColumn(c, rows: Int(rows)))
        }
        return Table(columns: columns, rowCount: Int(rows))
    }

    private func readColumn(_ number: Int32, rows: Int) throws(FITSError) -> TableColumn {
        var name = [CChar](repeating: 0, count: Int(FLEN_VALUE))
        var unit = [CChar](repeating: 0, count: Int(FLEN_VALUE))
        var dtype = [CChar](repeating: 0, count: Int(FLEN_VALUE))
        var display = [CChar](repeating: 0, count: Int(FLEN_VALUE))
        var repeatCount: Int64 = 0, nullValue: Int64 = 0, width: Int64 = 0
        var scale = 1.0, zero = 0.0
        var type: Int32 = 0
        try check("read column \(number) definition", file: path) { status in
            ffgbclll(handle, number, &name, &unit, &dtype, &repeatCount, &scale, &zero, &nullValue, &display, &status)
            ffeqtyll(handle, number, &type, &repeatCount, &width, &status)
        }
        let columnName = decodeCString(name)
        if type < 0 {
            throw FITSError(.unsupported, "column \(columnName) holds variable-length arrays", file: path)
        }
        let n = rows * Int(repeatCount)
        func values<T>(_ datatype: Int32, _ zeroValue: T) throws(FITSError) -> [T] {
            var out = [T](repeating: zeroValue, count: n)
            guard n > 0 else { return out }
            try check("read column \(columnName)", file: path) { status in
                var anyNull: Int32 = 0
                _ = out.withUnsafeMutableBytes { ffgcv(handle, datatype, number, 1, 1, Int64(n), nil, $0.baseAddress, &anyNull, &status) }
            }
            return out
        }
        let data: ColumnData
        switch type {
        case TLOGICAL: data = .logical(try values(TLOGICAL, CChar(0)).map { $0 != 0 })
        case TBYTE, TBIT: data = .uint8(try values(TBYTE, UInt8(0)))
        case TSBYTE, TSHORT: data = .int16(try values(TSHORT, Int16(0)))
        case TUSHORT: data = .uint16(try values(TUSHORT, UInt16(0)))
        case TINT32BIT, TINT: data = .int32(try values(TINT, Int32(0)))
        case TUINT, TULONG: data = .uint32(try values(TUINT, UInt32(0)))
        case TLONGLONG, TULONGLONG: data = .int64(try values(TLONGLONG, Int64(0)))
        case TFLOAT: data = .float32(try values(TFLOAT, Float(0)))
        case TDOUBLE: data = .float64(try values(TDOUBLE, Double(0)))
        case TSTRING: data = .string(try readStrings(number, rows: rows, width: Int(width), name: columnName), width: Int(width))
        default: throw FITSError(.unsupported, "column \(columnName) has type code \(type)", file: path)
        }
        return TableColumn(name: columnName, unit: decodeCString(unit), repeatCount: Int(repeatCount), data: data)
    }

    private func readStrings(_ number: Int32, rows: Int, width: Int, name: String) throws(FITSError) -> [String] {
        guard rows > 0 else { return [] }
        let stride = width + 1
        var storage = [CChar](repeating: 0, count: rows * stride)
        try check("read column \(name)", file: path) { status in
            storage.withUnsafeMutableBufferPointer { buffer in
                var pointers: [UnsafeMutablePointer<CChar>?] = (0..<rows).map { buffer.baseAddress! + $0 * stride }
                var anyNull: Int32 = 0
                var empty: CChar = 0
                ffgcv(handle, TSTRING, number, 1, 1, Int64(rows), &empty, &pointers, &anyNull, &status)
            }
        }
        return (0..<rows).map { decodeCString(Array(storage[($0 * stride)..<(($0 + 1) * stride)])).replacingTrailingBlanks() }
    }
}
