import Daemon
import Foundation
import InstanceLock
import SQLite
import XCTest

/// `webbflow status` on the state database an earlier Webbflow wrote (`Tests/Fixtures/fnv1a-state`), which lacks
/// tables and columns the report reads: upgraded and reported when no daemon runs on it, refused with what to do
/// (and left as it was) when an older daemon still holds the folder.
final class EarlierDatabaseStatusTests: XCTestCase {
    private func stateFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("earlier-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let fixture = "\(EarlierDatabaseMigrationTests.fixture)/\(StateStore.fileName)"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: fixture), "fixture missing")
        try FileManager.default.copyItem(atPath: fixture, toPath: "\(folder)/\(StateStore.fileName)")
        return folder
    }

    private func layoutVersion(_ folder: String) throws -> Int? {
        try SQLiteConnection(path: "\(folder)/\(StateStore.fileName)", readOnly: true).query("PRAGMA user_version").first?[0].int
    }

    private func tables(_ folder: String) throws -> Set<String> {
        let db = try SQLiteConnection(path: "\(folder)/\(StateStore.fileName)", readOnly: true)
        return Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.string })
    }

    func testTheEarlierDatabaseIsUpgradedAndReportedWhenNoDaemonRunsOnIt() throws {
        let folder = try stateFolder()
        XCTAssertEqual(try layoutVersion(folder), 0)
        XCTAssertFalse(try tables(folder).contains("slurm_jobs"), "the fixture predates the Slurm table")

        let report = try StatusReport.read(stateDirectory: folder)
        XCTAssertEqual(report.failed.map(\.step), ["asset"], "the earlier daemon's failed job")
        XCTAssertEqual(report.productCount, 1, "the x1d it wrote")
        XCTAssertEqual(report.files.values.reduce(0, +), 3, "the three inbox files it recorded")
        XCTAssertTrue(try tables(folder).contains("slurm_jobs"))
        XCTAssertEqual(try layoutVersion(folder), 1)
        XCTAssertNoThrow(try StatusReport.read(stateDirectory: folder), "a second reading opens it read-only")
    }

    func testAnOlderDaemonHoldingTheFolderIsNamedAndTheDatabaseLeftAsItWas() throws {
        let folder = try stateFolder()
        let daemon = try InstanceLock(path: "\(folder)/\(Daemon.lockFileName)")
        XCTAssertThrowsError(try StatusReport.read(stateDirectory: folder)) { error in
            let text = "\(error)"
            XCTAssertTrue(error is StateStoreOutdated, text)
            XCTAssertTrue(text.contains("older webbflow"), text)
            XCTAssertTrue(text.contains("PID \(getpid())"), text)
            XCTAssertTrue(text.contains("restart it"), text)
        }
        withExtendedLifetime(daemon) {}
        XCTAssertEqual(try layoutVersion(folder), 0, "not changed under a running daemon")
        XCTAssertFalse(try tables(folder).contains("slurm_jobs"))
    }
}
