import Daemon
import Foundation
import Pipeline
import SQLite
import XCTest

/// The state database an earlier Webbflow really wrote (the release before XXH3-128, with FNV-1a 64 hashes; see
/// `Tests/Fixtures/fnv1a-state/README.md`), taken over by this daemon: the files it recorded are not taken again nor
/// seen as new, their hashes are recomputed, and a file changed since is taken again.
final class EarlierDatabaseMigrationTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/fnv1a-state").standardized.path
    /// Where the earlier daemon's tree was when it wrote the database.
    static let recordedRoot = "/tmp/webbflow-fnv1a-fixture"

    /// The fixture's inbox and outbox copied into the harness's tree, and its database with them, its paths moved to
    /// the new tree. A copy keeps the bytes and the size but not the inode: each version still on disk gets its
    /// copy's device, inode and mtime, which is what the database would hold had the files never moved.
    private func restore(into harness: DaemonHarness) throws {
        let files = FileManager.default
        for folder in ["inbox", "outbox"] where files.fileExists(atPath: "\(Self.fixture)/\(folder)") {
            try? files.removeItem(atPath: "\(harness.root)/\(folder)")
            try files.copyItem(atPath: "\(Self.fixture)/\(folder)", toPath: "\(harness.root)/\(folder)")
        }
        try files.createDirectory(atPath: harness.state, withIntermediateDirectories: true)
        let database = "\(harness.state)/\(StateStore.fileName)"
        try files.copyItem(atPath: "\(Self.fixture)/\(StateStore.fileName)", toPath: database)
        let db = try SQLiteConnection(path: database)
        let escaped = { (path: String) in path.replacingOccurrences(of: "/", with: "\\/") }
        let tables = Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.string })
        for (table, column) in [
            ("files", "path"), ("jobs", "inputs"), ("products", "path"), ("pending_products", "path"),
            ("group_members", "path"),
        ] where tables.contains(table) {
            try db.query(
                "UPDATE \(table) SET \(column) = replace(replace(\(column), ?, ?), ?, ?)",
                [.text(Self.recordedRoot), .text(harness.root), .text(escaped(Self.recordedRoot)), .text(escaped(harness.root))])
        }
        for row in try db.query("SELECT id, path, size FROM files") {
            guard let path = row[1].string, let identity = FileIdentity.of(path), Int64(identity.size) == row[2].int.map(Int64.init) else {
                continue
            }
            try db.query(
                "UPDATE files SET device = ?, inode = ?, mtime_ns = ? WHERE id = ?",
                [
                    .integer(Int64(bitPattern: identity.device)), .integer(Int64(bitPattern: identity.inode)),
                    .integer(identity.modificationNanoseconds), row[0],
                ])
        }
    }

    /// Every job as "step state attempts", in order.
    private func jobs(_ harness: DaemonHarness) throws -> [String] {
        let db = try SQLiteConnection(path: "\(harness.state)/\(StateStore.fileName)", readOnly: true)
        return try db.query("SELECT step, state, attempts FROM jobs ORDER BY id").map { row in
            row.map { $0.string ?? $0.int.map(String.init) ?? "null" }.joined(separator: " ")
        }
    }

    private func rows(_ harness: DaemonHarness) throws -> [(path: String, hash: String, state: String)] {
        let db = try SQLiteConnection(path: "\(harness.state)/\(StateStore.fileName)", readOnly: true)
        return try db.query("SELECT path, hash, state FROM files ORDER BY id").map {
            ($0[0].string ?? "", $0[1].string ?? "", $0[2].string ?? "")
        }
    }

    func testTheEarlierDaemonsDatabaseIsTakenOver() async throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "\(Self.fixture)/\(StateStore.fileName)"), "fixture missing")
        let harness = try DaemonHarness(settle: 0.2)
        try restore(into: harness)
        let before = try rows(harness)
        XCTAssertFalse(before.isEmpty)
        XCTAssertTrue(before.allSatisfy { $0.hash.count == 16 || $0.hash == "-" }, "the earlier daemon wrote FNV-1a 64 hashes: \(before)")
        let jobsBefore = try jobs(harness)
        XCTAssertEqual(jobsBefore, ["asset done 1", "asset failed 1"])

        try await harness.start()
        try await harness.waitForQuiet(files: before.count)
        try await Task.sleep(for: .milliseconds(500))
        let migrated = try rows(harness)
        XCTAssertEqual(migrated.map(\.path), before.map(\.path), "no file seen again as new")
        XCTAssertEqual(migrated.map(\.state), before.map(\.state))
        for row in migrated where row.hash != "-" {
            XCTAssertEqual(row.hash, try ContentHash.of(path: row.path), "\(row.path): recomputed as XXH3-128")
        }
        XCTAssertEqual(try jobs(harness), jobsBefore, "nothing ran again")
        let hashed = before.filter { $0.hash != "-" }.count
        XCTAssertTrue(harness.log.contains("\(hashed) recomputed, 0 retired"), harness.log.messages.joined(separator: "\n"))

        // A file changed since the earlier daemon saw it is a new version, taken again.
        let changed = try XCTUnwrap(before.first { $0.hash != "-" }?.path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: changed))
        let date = try XCTUnwrap(bytes.range(of: Data("DATE    = '".utf8)))
        bytes[date.upperBound] = bytes[date.upperBound] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try bytes.write(to: URL(fileURLWithPath: changed))
        try await harness.waitForQuiet(files: before.count + 1)
        try await harness.stop()
        let after = try rows(harness)
        XCTAssertEqual(after.count, before.count + 1)
        XCTAssertEqual(after.last?.path, changed)
        XCTAssertEqual(after.last?.hash, try ContentHash.of(path: changed))
        XCTAssertNotEqual(after.last?.hash, migrated.first { $0.path == changed }?.hash)
    }
}
