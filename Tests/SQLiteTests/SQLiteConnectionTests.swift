import Foundation
import SQLite
import XCTest

/// The wrapper against a real database file: values come back as stored, a failed transaction leaves nothing.
final class SQLiteConnectionTests: XCTestCase {
    private func temporaryDatabase() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent("test.sqlite").path
    }

    func testValuesRoundTrip() throws {
        let db = try SQLiteConnection(path: try temporaryDatabase())
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n TEXT)")
        try db.query("INSERT INTO t VALUES (?, ?, ?, ?)", [.integer(1 << 40), .real(0.125), "ü-λ", .null])
        XCTAssertEqual(db.lastInsertRowID, 1)
        let rows = try db.query("SELECT i, r, s, n FROM t")
        XCTAssertEqual(rows, [[.integer(1 << 40), .real(0.125), .text("ü-λ"), .null]])
    }

    func testFailedTransactionIsRolledBack() throws {
        let db = try SQLiteConnection(path: try temporaryDatabase())
        try db.execute("CREATE TABLE t (i INTEGER)")
        struct Abort: Error {}
        XCTAssertThrowsError(
            try db.transaction {
                try db.query("INSERT INTO t VALUES (1)")
                throw Abort()
            })
        XCTAssertEqual(try db.query("SELECT count(*) FROM t"), [[.integer(0)]])
    }

    func testErrorsCarrySQLitesMessage() throws {
        let db = try SQLiteConnection(path: try temporaryDatabase())
        XCTAssertThrowsError(try db.query("SELECT * FROM missing")) { error in
            XCTAssertTrue("\(error)".contains("no such table: missing"), "\(error)")
        }
        XCTAssertThrowsError(try SQLiteConnection(path: "/nonexistent-folder/db.sqlite", readOnly: true))
    }
}
