/// The values of one binary-table column for all rows, flattened row by row when a cell holds a vector.
public enum ColumnData: Sendable, Equatable {
    case logical([Bool])
    case uint8([UInt8])
    case int16([Int16])
    case uint16([UInt16])
    case int32([Int32])
    case uint32([UInt32])
    case int64([Int64])
    case float32([Float])
    case float64([Double])
    /// Fixed-width strings; `width` is the TFORM character count.
    case string([String], width: Int)

    /// Number of stored elements (rows × repeat; for strings, rows).
    public var count: Int {
        switch self {
        case .logical(let v): v.count
        case .uint8(let v): v.count
        case .int16(let v): v.count
        case .uint16(let v): v.count
        case .int32(let v): v.count
        case .uint32(let v): v.count
        case .int64(let v): v.count
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .string(let v, _): v.count
        }
    }

    /// The values as doubles (strings and logicals give nil).
    public var doubles: [Double]? {
        switch self {
        case .logical, .string: nil
        case .uint8(let v): v.map(Double.init)
        case .int16(let v): v.map(Double.init)
        case .uint16(let v): v.map(Double.init)
        case .int32(let v): v.map(Double.init)
        case .uint32(let v): v.map(Double.init)
        case .int64(let v): v.map(Double.init)
        case .float32(let v): v.map(Double.init)
        case .float64(let v): v
        }
    }
}

/// One named column of a binary table.
public struct TableColumn: Sendable, Equatable {
    public var name: String
    public var unit: String
    /// Elements per cell (1 for scalars; the character width for strings).
    public var repeatCount: Int
    public var data: ColumnData

    public init(name: String, unit: String = "", repeatCount: Int = 1, data: ColumnData) {
        self.name = name
        self.unit = unit
        self.data = data
        if case .string(_, let width) = data { self.repeatCount = width } else { self.repeatCount = repeatCount }
    }

    /// Rows this column fills.
    public var rowCount: Int {
        if case .string(let v, _) = data { return v.count }
        return repeatCount == 0 ? 0 : data.count / repeatCount
    }
}

/// A binary table (BINTABLE) held in memory, column by column.
public struct Table: Sendable, Equatable {
    public var columns: [TableColumn]
    public var rowCount: Int

    public init(columns: [TableColumn]) {
        self.columns = columns
        self.rowCount = columns.first?.rowCount ?? 0
    }

    public init(columns: [TableColumn], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The column called `name` (case-insensitive).
    public subscript(name: String) -> TableColumn? {
        columns.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}
