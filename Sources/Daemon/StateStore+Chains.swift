import Foundation
import Pipeline
import SQLite

/// Chains: a product taken as the input of a further step is recorded as a file like a download, with the job that
/// wrote it as its parent (`files.parent_job`).
extension StateStore {
    /// Adds the parent column to a database made before chains existed.
    static func addParentColumn(_ db: SQLiteConnection) throws {
        let columns = try db.query("PRAGMA table_info(files)").compactMap { $0[1].string }
        guard !columns.contains("parent_job") else { return }
        try db.execute("ALTER TABLE files ADD COLUMN parent_job INTEGER REFERENCES jobs (id)")
    }

    /// Marks an already recorded file version (a group member) as a product of job `parent`.
    public func markParent(_ identity: FileIdentity, parent: Int64) throws {
        try database.withLock { db in try markParent(identity, parent: parent, in: db) }
    }

    private func markParent(_ identity: FileIdentity, parent: Int64, in db: SQLiteConnection) throws {
        try db.query(
            "UPDATE files SET parent_job = ? WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ?",
            [.integer(parent)] + identityValues(identity))
    }

    /// Products of finished jobs not yet recorded as files with their parent: what a restart still has to pass on.
    public func productsNotPassedOn() throws -> [(job: Int64, path: String)] {
        try database.withLock { db in
            try db.query(
                """
                SELECT p.job_id, p.path FROM products p JOIN jobs j ON j.id = p.job_id WHERE j.state = 'done'
                AND NOT EXISTS (SELECT 1 FROM files f WHERE f.path = p.path AND f.parent_job = p.job_id) ORDER BY p.id
                """
            ).compactMap { row in
                guard case .integer(let job) = row[0], let path = row[1].string else { return nil }
                return (job, path)
            }
        }
    }
}
