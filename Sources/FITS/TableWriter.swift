import CFITSIO
import Foundation

/// Creates a BINTABLE HDU from a `Table` and writes its columns.
enum TableWriter {
    static func write(_ table: Table, header: Header, to handle: UnsafeMutablePointer<fitsfile>?, path: String) throws(FITSError) {
        let names = table.columns.map { strdup($0.name) }
        let forms = table.columns.map { strdup(format(of: $0)) }
        let units = table.columns.map { strdup($0.unit) }
        defer { (names + forms + units).forEach { free($0) } }
        var namePointers = names
        var formPointers = forms
        var unitPointers = units
        try check("create table", file: path) { status in
            _ = ffcrtb(
                handle, BINARY_TBL, Int64(table.rowCount), Int32(table.columns.count),
                &namePointers, &formPointers, &unitPointers, nil, &status)
        }
        try HeaderWriter.write(header, to: handle, path: path)
        for (offset, column) in table.columns.enumerated() {
            try writeColumn(column, number: Int32(offset + 1), to: handle, path: path)
        }
    }

    /// TFORM for a column: repeat count and type letter ('V' and 'U' make cfitsio write the TZERO unsigned convention).
    static func format(of column: TableColumn) -> String {
        let r = column.repeatCount
        switch column.data {
        case .logical: return "\(r)L"
        case .uint8: return "\(r)B"
        case .int16: return "\(r)I"
        case .uint16: return "\(r)U"
        case .int32: return "\(r)J"
        case .uint32: return "\(r)V"
        case .int64: return "\(r)K"
        case .float32: return "\(r)E"
        case .float64: return "\(r)D"
        case .string(_, let width): return "\(max(width, 1))A"
        }
    }

    private static func writeColumn(
        _ column: TableColumn, number: Int32, to handle: UnsafeMutablePointer<fitsfile>?,
        path: String
    ) throws(FITSError) {
        func put<T>(_ values: [T], _ datatype: Int32) throws(FITSError) {
            guard !values.isEmpty else { return }
            try check("write column \(column.name)", file: path) { status in
                var copy = values
                _ = copy.withUnsafeMutableBytes { ffpcl(handle, datatype, number, 1, 1, Int64(values.count), $0.baseAddress, &status) }
            }
        }
        switch column.data {
        case .logical(let v): try put(v.map { CChar($0 ? 1 : 0) }, TLOGICAL)
        case .uint8(let v): try put(v, TBYTE)
        case .int16(let v): try put(v, TSHORT)
        case .uint16(let v): try put(v, TUSHORT)
        case .int32(let v): try put(v, TINT)
        case .uint32(let v): try put(v, TUINT)
        case .int64(let v): try put(v, TLONGLONG)
        case .float32(let v): try put(v, TFLOAT)
        case .float64(let v): try put(v, TDOUBLE)
        case .string(let v, _):
            guard !v.isEmpty else { return }
            let strings = v.map { strdup($0) }
            defer { strings.forEach { free($0) } }
            var pointers = strings
            try check("write column \(column.name)", file: path) { status in
                _ = ffpcl(handle, TSTRING, number, 1, 1, Int64(v.count), &pointers, &status)
            }
        }
    }
}
