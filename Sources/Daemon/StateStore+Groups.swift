import Foundation
import Pipeline
import SQLite

/// A multi-file group as the state database holds it.
public struct GroupRecord: Sendable {
    public var group: JobGroupID
    public var members: [(path: String, kind: ExposureKind)]
    /// The anchor's traits for a group opened by a matching rule; nil for a keyed group.
    public var anchor: MatchTraits?
}

/// A file a matching rule lets join the groups of the anchors it matches, kept so anchors that arrive later find it.
public struct GroupCandidate: Sendable {
    public var path: String
    public var fileID: Int64
    public var traits: MatchTraits
}

extension StateStore {
    /// Databases written before groups kept their rule's key apart get it from the stored id, `<step>/<rule key>`.
    static func addGroupRuleKeys(_ db: SQLiteConnection) throws {
        let columns = try db.query("PRAGMA table_info(groups)").compactMap { $0[1].string }
        guard !columns.contains("rule_key") else { return }
        try db.execute("ALTER TABLE groups ADD COLUMN rule_key TEXT; UPDATE groups SET rule_key = substr(key, length(step) + 2);")
    }

    /// Databases written before matching rules get the anchor's traits and the reason a group waits, and the table
    /// of candidates.
    static func addMatchedGrouping(_ db: SQLiteConnection) throws {
        let columns = try db.query("PRAGMA table_info(groups)").compactMap { $0[1].string }
        if !columns.contains("anchor") { try db.execute("ALTER TABLE groups ADD COLUMN anchor TEXT;") }
        if !columns.contains("reason") { try db.execute("ALTER TABLE groups ADD COLUMN reason TEXT;") }
        try db.execute(
            """
            CREATE TABLE IF NOT EXISTS group_candidates (
                step TEXT NOT NULL, path TEXT NOT NULL, file_id INTEGER NOT NULL REFERENCES files (id), traits TEXT NOT NULL,
                PRIMARY KEY (step, path)
            );
            """)
    }

    /// Adds (or refreshes) a member of a group and reopens the group so it fires again with the new member;
    /// `anchor` gives the traits of a matching rule's anchor, which opens the group.
    public func addGroupMember(group: JobGroupID, file: FileRecord, anchor: MatchTraits? = nil) throws {
        let traits = try anchor.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try database.withLock { db in
            try db.transaction {
                try insert(file, into: db)
                let fileID = db.lastInsertRowID
                try Self.reopen(group, anchor: traits, in: db)
                try db.query(
                    "INSERT OR REPLACE INTO group_members (group_key, path, file_id) VALUES (?, ?, ?)",
                    [.text(group.description), .text(file.path), .integer(fileID)])
            }
        }
    }

    /// Adds a recorded candidate to a group and reopens the group.
    public func addGroupMember(group: JobGroupID, candidate: GroupCandidate) throws {
        try database.withLock { db in
            try db.transaction {
                try Self.reopen(group, anchor: nil, in: db)
                try db.query(
                    "INSERT OR REPLACE INTO group_members (group_key, path, file_id) VALUES (?, ?, ?)",
                    [.text(group.description), .text(candidate.path), .integer(candidate.fileID)])
            }
        }
    }

    private static func reopen(_ group: JobGroupID, anchor: String?, in db: SQLiteConnection) throws {
        try db.query(
            """
            INSERT INTO groups (key, step, rule_key, state, updated_at, anchor) VALUES (?, ?, ?, \(GroupState.open.sql), ?, ?)
            ON CONFLICT (key) DO UPDATE SET state = \(GroupState.open.sql), updated_at = excluded.updated_at, reason = NULL,
                anchor = COALESCE(excluded.anchor, anchor)
            """, [.text(group.description), .text(group.step), .text(group.key), .real(now), .optional(anchor)])
    }

    /// Records a candidate of `step`'s matching rule (a newer version of the same path replaces the older).
    public func recordGroupCandidate(step: String, traits: MatchTraits, file: FileRecord) throws -> GroupCandidate {
        let json = String(decoding: try JSONEncoder().encode(traits), as: UTF8.self)
        return try database.withLock { db in
            try db.transaction {
                try insert(file, into: db)
                let fileID = db.lastInsertRowID
                try db.query(
                    "INSERT OR REPLACE INTO group_candidates (step, path, file_id, traits) VALUES (?, ?, ?, ?)",
                    [.text(step), .text(file.path), .integer(fileID), .text(json)])
                return GroupCandidate(path: file.path, fileID: fileID, traits: traits)
            }
        }
    }

    /// Every candidate recorded for `step`.
    public func groupCandidates(step: String) throws -> [GroupCandidate] {
        try database.withLock { db in
            try db.query("SELECT path, file_id, traits FROM group_candidates WHERE step = ? ORDER BY path", [.text(step)]).compactMap {
                row in
                guard let path = row[0].string, case .integer(let id) = row[1], let traits = Self.traits(row[2]) else { return nil }
                return GroupCandidate(path: path, fileID: id, traits: traits)
            }
        }
    }

    /// Every group of `step` opened by an anchor, whatever its state, with the anchor's traits.
    public func groupAnchors(step: String) throws -> [(group: JobGroupID, anchor: MatchTraits)] {
        try database.withLock { db in
            try db.query("SELECT rule_key, anchor FROM groups WHERE step = ? AND anchor IS NOT NULL ORDER BY key", [.text(step)]).compactMap
            { row in
                guard let key = row[0].string, let traits = Self.traits(row[1]) else { return nil }
                return (group: JobGroupID(step: step, key: key), anchor: traits)
            }
        }
    }

    private static func traits(_ value: SQLiteValue) -> MatchTraits? {
        value.string.flatMap { try? JSONDecoder().decode(MatchTraits.self, from: Data($0.utf8)) }
    }

    /// Open groups with their members; `quietSince` keeps only those with no new member after that time, `id` one group.
    public func openGroups(quietSince: Double? = nil, id: JobGroupID? = nil) throws -> [GroupRecord] {
        try database.withLock { db in
            let stored = id.map(\.description)
            let groups = try db.query(
                """
                SELECT key, step, rule_key, anchor FROM groups WHERE state = \(GroupState.open.sql) AND updated_at <= ? AND (? IS NULL OR key = ?)
                """, [.real(quietSince ?? .greatestFiniteMagnitude), .optional(stored), .optional(stored)])
            return try groups.compactMap { row -> GroupRecord? in
                guard let id = row[0].string, let step = row[1].string, let key = row[2].string else { return nil }
                let members = try db.query(
                    """
                    SELECT m.path, f.kind FROM group_members m JOIN files f ON f.id = m.file_id WHERE m.group_key = ? ORDER BY m.path
                    """, [.text(id)]
                ).compactMap { member -> (String, ExposureKind)? in
                    guard let path = member[0].string, let json = member[1].string,
                        let kind = try? JSONDecoder().decode(ExposureKind.self, from: Data(json.utf8))
                    else { return nil }
                    return (path, kind)
                }
                return GroupRecord(group: JobGroupID(step: step, key: key), members: members, anchor: Self.traits(row[3]))
            }
        }
    }

    /// Queues the group's job, superseding a queued earlier job of the same group, all in one transaction.
    public func fireGroup(_ group: GroupRecord, job: Job) throws {
        let first = group.members.first?.kind
        try database.withLock { db in
            try db.transaction {
                try db.query(
                    "UPDATE jobs SET state = \(JobState.superseded.sql) WHERE state = \(JobState.queued.sql) AND group_key = ? AND step = ?",
                    [.optional(job.group), .text(job.step)])
                try insertJob(job, program: first?.program, expType: first?.exposureType, into: db)
                try db.query(
                    "UPDATE groups SET state = \(GroupState.fired.sql), fired_at = ?, job_id = ? WHERE key = ?",
                    [.real(Self.now), .integer(db.lastInsertRowID), .text(group.group.description)])
            }
        }
    }

    /// Parks a group that is quiet but cannot run yet (it waits for more members and does not keep the daemon busy);
    /// `reason` says why, for `webbflow status`.
    public func parkGroup(_ group: JobGroupID, reason: String) throws {
        try database.withLock { db in
            try db.query(
                "UPDATE groups SET state = \(GroupState.waiting.sql), reason = ? WHERE key = ? AND state = \(GroupState.open.sql)",
                [.text(reason), .text(group.description)])
        }
    }

    /// Replaces the reason a parked group waits (a candidate that does not join it arrived); other states are untouched.
    public func updateWaitingReason(_ group: JobGroupID, reason: String) throws {
        try database.withLock { db in
            try db.query(
                "UPDATE groups SET reason = ? WHERE key = ? AND state = \(GroupState.waiting.sql)",
                [.text(reason), .text(group.description)])
        }
    }

    /// Number of groups still collecting members within their settle time.
    public func openGroupCount() throws -> Int {
        try database.withLock { db in
            try db.query("SELECT COUNT(*) FROM groups WHERE state = \(GroupState.open.sql)").first?.first?.int ?? 0
        }
    }
}
