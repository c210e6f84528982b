import Foundation
import Pipeline

/// A multi-file group as the state database holds it.
public struct GroupRecord: Sendable {
    /// `<step>/<group key>`.
    public var id: String
    public var step: String
    public var members: [(path: String, kind: ExposureKind)]
}

extension StateStore {
    /// Adds (or refreshes) a member of a group and reopens the group so it fires again with the new member.
    public func addGroupMember(group id: String, step: String, file: FileRecord) throws {
        try database.withLock { db in
            try db.transaction {
                try insert(file, into: db)
                let fileID = db.lastInsertRowID
                try db.query("""
                    INSERT INTO groups (key, step, state, updated_at) VALUES (?, ?, 'open', ?)
                    ON CONFLICT (key) DO UPDATE SET state = 'open', updated_at = excluded.updated_at
                    """, [.text(id), .text(step), .real(Self.now)])
                try db.query("INSERT OR REPLACE INTO group_members (group_key, path, file_id) VALUES (?, ?, ?)",
                             [.text(id), .text(file.path), .integer(fileID)])
            }
        }
    }

    /// Open groups with their members; `quietSince` keeps only those with no new member after that time, `id` one group.
    public func openGroups(quietSince: Double? = nil, id: String? = nil) throws -> [GroupRecord] {
        try database.withLock { db in
            let groups = try db.query("SELECT key, step FROM groups WHERE state = 'open' AND updated_at <= ? AND (? IS NULL OR key = ?)",
                                      [.real(quietSince ?? .greatestFiniteMagnitude), .optional(id), .optional(id)])
            return try groups.compactMap { row -> GroupRecord? in
                guard let id = row[0].string, let step = row[1].string else { return nil }
                let members = try db.query("""
                    SELECT m.path, f.kind FROM group_members m JOIN files f ON f.id = m.file_id WHERE m.group_key = ? ORDER BY m.path
                    """, [.text(id)]).compactMap { member -> (String, ExposureKind)? in
                        guard let path = member[0].string, let json = member[1].string,
                              let kind = try? JSONDecoder().decode(ExposureKind.self, from: Data(json.utf8)) else { return nil }
                        return (path, kind)
                    }
                return GroupRecord(id: id, step: step, members: members)
            }
        }
    }

    /// Queues the group's job, superseding a queued earlier job of the same group, all in one transaction.
    public func fireGroup(_ group: GroupRecord, job: Job) throws {
        let first = group.members.first?.kind
        try database.withLock { db in
            try db.transaction {
                try db.query("UPDATE jobs SET state = 'superseded' WHERE state = 'queued' AND group_key = ? AND step = ?",
                             [.optional(job.group), .text(job.step)])
                try insertJob(job, program: first?.program, expType: first?.exposureType, into: db)
                try db.query("UPDATE groups SET state = 'fired', fired_at = ?, job_id = ? WHERE key = ?",
                             [.real(Self.now), .integer(db.lastInsertRowID), .text(group.id)])
            }
        }
    }

    /// Parks a group that is quiet but cannot run yet (it waits for more members and does not keep the daemon busy).
    public func parkGroup(_ id: String) throws {
        try database.withLock { db in try db.query("UPDATE groups SET state = 'waiting' WHERE key = ? AND state = 'open'", [.text(id)]) }
    }

    /// Number of groups still collecting members within their settle time.
    public func openGroupCount() throws -> Int {
        try database.withLock { db in try db.query("SELECT COUNT(*) FROM groups WHERE state = 'open'").first?.first?.int ?? 0 }
    }
}
