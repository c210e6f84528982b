import CSQLite

/// A value stored in or read from SQLite.
public enum SQLiteValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    public var int: Int? { if case .integer(let i) = self { Int(i) } else { nil } }
    public var double: Double? {
        switch self {
        case .real(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
    public var string: String? { if case .text(let s) = self { s } else { nil } }
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public static func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .null }
    public static func int(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }
}

/// A failed SQLite call, carrying SQLite's own message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let description: String

    public init(code: Int32, description: String) {
        self.code = code
        self.description = description
    }
}

/// One connection to an SQLite database file: a thin wrapper over the C API that runs statements with bound
/// values and returns rows. Not thread-safe on its own: its owner serialises access.
///
/// Statements are prepared once per SQL text and kept for the connection's life: intake runs the same few
/// statements for every file, and preparing one costs more than running it.
public final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var prepared: [String: OpaquePointer] = [:]
    /// SQL texts built with values in them would each take a slot: past this many, statements are not kept.
    private static let keptStatements = 64

    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            handle = nil
            throw SQLiteError(code: rc, description: "cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit {
        for statement in prepared.values { sqlite3_finalize(statement) }
        sqlite3_close(handle)
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(message)
            throw SQLiteError(code: rc, description: text)
        }
    }

    /// Runs one statement with bound values and returns every row it produces.
    @discardableResult
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try statement(for: sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            if prepared[sql] != statement { sqlite3_finalize(statement) }
        }
        for (index, value) in bindings.enumerated() {
            let position = Int32(index + 1)
            let rc: Int32 =
                switch value {
                case .integer(let i): sqlite3_bind_int64(statement, position, i)
                case .real(let d): sqlite3_bind_double(statement, position, d)
                case .text(let s): sqlite3_bind_text(statement, position, s, -1, sqlite_transient())
                case .null: sqlite3_bind_null(statement, position)
                }
            guard rc == SQLITE_OK else { throw lastError(sql) }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw lastError(sql) }
            let columns = sqlite3_column_count(statement)
            rows.append((0..<columns).map { column(statement, $0) })
        }
        return rows
    }

    /// The kept statement for `sql`, or a new one (kept while there is room).
    private func statement(for sql: String) throws(SQLiteError) -> OpaquePointer? {
        if let kept = prepared[sql] { return kept }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw lastError(sql) }
        if prepared.count < Self.keptStatements { prepared[sql] = statement }
        return statement
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` inside one transaction (IMMEDIATE, so writers queue instead of failing), committing on success.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func column(_ statement: OpaquePointer?, _ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, index))
        case SQLITE_NULL: .null
        default: sqlite3_column_text(statement, index).map { .text(String(cString: $0)) } ?? .null
        }
    }

    private func lastError(_ sql: String) -> SQLiteError {
        let code = sqlite3_errcode(handle)
        return SQLiteError(code: code, description: "\(String(cString: sqlite3_errmsg(handle))) (in: \(sql.prefix(80)))")
    }
}
