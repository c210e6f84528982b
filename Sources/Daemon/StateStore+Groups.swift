import Foundation
import Pipeline
import SQLite

/// A multi-file group as the state database holds it.
public struct GroupRecord: Sendable {
    public var group: GroupID
    public var members: [(path: String, kind: ExposureKind)]
}

extension StateStore {
    /// Databases written before groups kept their rule's key apart get it from the stored id, `<step>/<rule key>`.
    static func addGroupRuleKeys(_ db: SQLiteConnection) throws {
        let columns = try db.query("PRAGMA table_info(groups)").compactMap { $0[1].string }
        guard !columns.contains("rule_key") else { return }
        try db.execute("ALTER TABLE groups ADD COLUMN rule_key TEXT; UPDATE groups SET rule_key = substr(key, length(step) + 2);")
    }

    /// Adds (or refreshes) a member of a group and reopens the group so it fires again with the new member.
    public func addGroupMember(group: GroupID, file: FileRecord) throws {
        try database.withLock { db in
            try db.transaction {
                try insert(file, into: db)
                let fileID = db.lastInsertRowID
                try db.query("""
                    INSERT INTO groups (key, step, rule_key, state, updated_at) VALUES (?, ?, ?, \(GroupState.open.sql), ?)
                    ON CONFLICT (key) DO UPDATE SET state = \(GroupState.open.sql), updated_at = excluded.updated_at
                    """, [.text(group.description), .text(group.step), .text(group.key), .real(Self.now)])
                try db.query("INSERT OR REPLACE INTO group_members (group_key, path, file_id) VALUES (?, ?, ?)",
                             [.text(group.description), .text(file.path), .integer(fileID)])
            }
        }
    }

    /// Open groups with their members; `quietSince` keeps only those with no new member after that time, `id` one group.
    public func openGroups(quietSince: Double? = nil, id: GroupID? = nil) throws -> [GroupRecord] {
        try database.withLock { db in
            let stored = id.map(\.description)
            let groups = try db.query("""
                SELECT key, step, rule_key FROM groups WHERE state = \(GroupState.open.sql) AND updated_at <= ? AND (? IS NULL OR key = ?)
                """, [.real(quietSince ?? .greatestFiniteMagnitude), .optional(stored), .optional(stored)])
            return try groups.compactMap { row -> GroupRecord? in
                guard let id = row[0].string, let step = row[1].string, let key = row[2].string else { return nil }
                let members = try db.query("""
                    SELECT m.path, f.kind FROM group_members m JOIN files f ON f.id = m.file_id WHERE m.group_key = ? ORDER BY m.path
                    """, [.text(id)]).compactMap { member -> (String, ExposureKind)? in
                        guard let path = member[0].string, let json = member[1].string,
                              let kind = try? JSONDecoder().decode(ExposureKind.self, from: Data(json.utf8)) else { return nil }
                        return (path, kind)
                    }
                return GroupRecord(group: GroupID(step: step, key: key), members: members)
            }
        }
    }

    /// Queues the group's job, superseding a queued earlier job of the same group, all in one transaction.
    public func fireGroup(_ group: GroupRecord, job: Job) throws {
        let first = group.members.first?.kind
        try database.withLock { db in
            try db.transaction {
                try db.query("UPDATE jobs SET state = \(JobState.superseded.sql) WHERE state = \(JobState.queued.sql) AND group_key = ? AND step = ?",
                             [.optional(job.group), .text(job.step)])
                try insertJob(job, program: first?.program, expType: first?.exposureType, into: db)
                try db.query("UPDATE groups SET state = \(GroupState.fired.sql), fired_at = ?, job_id = ? WHERE key = ?",
                             [.real(Self.now), .integer(db.lastInsertRowID), .text(group.group.description)])
            }
        }
    }

    /// Parks a group that is quiet but cannot run yet (it waits for more members and does not keep the daemon busy).
    public func parkGroup(_ group: GroupID) throws {
        try database.withLock { db in
            try db.query("UPDATE groups SET state = \(GroupState.waiting.sql) WHERE key = ? AND state = \(GroupState.open.sql)", [.text(group.description)])
        }
    }

    /// Number of groups still collecting members within their settle time.
    public func openGroupCount() throws -> Int {
        try database.withLock { db in try db.query("SELECT COUNT(*) FROM groups WHERE state = \(GroupState.open.sql)").first?.first?.int ?? 0 }
    }
}
