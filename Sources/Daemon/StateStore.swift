import Foundation
import Pipeline
import Platform
import SQLite

/// The daemon's memory: every file version seen with its verdict, every job with its attempts, products and
/// errors, every group and its members — in an SQLite database (WAL, synchronous=FULL) in the state directory.
///
/// Every change that matters is committed before the daemon acts on it, so a restart (even after kill -9 or a
/// power cut) resumes exactly: a job that was running is queued again and rewrites its products atomically.
public final class StateStore: Sendable {
    public static let fileName = "webbflow.sqlite"

    let database: Locked<SQLiteConnection>
    public let path: String

    /// Opens (creating if needed) the database in `directory`.
    public init(directory: String, readOnly: Bool = false) throws {
        if !readOnly { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        path = "\(directory)/\(Self.fileName)"
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw SQLiteError(code: 14, description: "no state database at \(path) (has the daemon run with this state directory?)")
        }
        let connection = try SQLiteConnection(path: path, readOnly: readOnly)
        if readOnly {
            let version = try Self.schemaVersion(of: connection)
            guard version >= Self.currentSchemaVersion else { throw StateStoreOutdated(path: path, version: version) }
        } else {
            try connection.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            try connection.execute(Self.schema)
            try Self.addGroupRuleKeys(connection)
            try Self.addMatchedGrouping(connection)
            try Self.addParentColumn(connection)
            try connection.execute(Self.slurmSchema)
            try connection.execute("PRAGMA user_version = \(Self.currentSchemaVersion)")
        }
        database = Locked(connection)
    }

    /// The layout every writable open brings a database to, kept in `PRAGMA user_version` so that a read-only
    /// reader (`webbflow status`) can tell a database an older webbflow wrote, which lacks tables and columns it
    /// queries, from a current one. Raise it with every migration added above.
    static let currentSchemaVersion = 1

    private static func schemaVersion(of connection: SQLiteConnection) throws -> Int {
        try connection.query("PRAGMA user_version").first?[0].int ?? 0
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL,
            device INTEGER NOT NULL, inode INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            hash TEXT NOT NULL,
            seen_at REAL NOT NULL,
            state TEXT NOT NULL,
            step TEXT, reason TEXT NOT NULL, skip_reason TEXT,
            kind TEXT, exp_type TEXT, program TEXT,
            UNIQUE (device, inode, size, mtime_ns)
        );
        CREATE INDEX IF NOT EXISTS files_hash ON files (hash);
        CREATE INDEX IF NOT EXISTS files_path ON files (path);
        CREATE TABLE IF NOT EXISTS jobs (
            id INTEGER PRIMARY KEY,
            step TEXT NOT NULL, group_key TEXT, inputs TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, not_before REAL NOT NULL DEFAULT 0,
            created_at REAL NOT NULL, started_at REAL, finished_at REAL, duration REAL,
            error TEXT, program TEXT, exp_type TEXT
        );
        CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, not_before);
        CREATE TABLE IF NOT EXISTS products (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs (id),
            path TEXT NOT NULL, written_at REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS pictures (
            product TEXT PRIMARY KEY, path TEXT NOT NULL, job_id INTEGER NOT NULL REFERENCES jobs (id), written_at REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS pending_products (
            job_id INTEGER NOT NULL REFERENCES jobs (id), path TEXT NOT NULL, PRIMARY KEY (job_id, path)
        );
        CREATE TABLE IF NOT EXISTS groups (
            key TEXT PRIMARY KEY, step TEXT NOT NULL, state TEXT NOT NULL,
            updated_at REAL NOT NULL, fired_at REAL, job_id INTEGER, rule_key TEXT
        );
        CREATE TABLE IF NOT EXISTS group_members (
            group_key TEXT NOT NULL REFERENCES groups (key), path TEXT NOT NULL, file_id INTEGER NOT NULL REFERENCES files (id),
            PRIMARY KEY (group_key, path)
        );
        """

    /// Wall-clock seconds since the epoch, the time base of every timestamp in the database.
    public static var now: Double { Date().timeIntervalSince1970 }

    // MARK: files

    /// What became of one file version.
    public enum FileState: String, Sendable, Codable {
        /// Accepted: a job runs (or ran) on it alone.
        case routed
        /// Accepted as a member of a multi-file group.
        case grouped
        /// Not processed; the reason says why.
        case skipped
        /// Structurally incomplete when it settled (download cut or still running); a later version is taken anew.
        case incomplete
        /// The same bytes were already taken under another name or version.
        case duplicate
    }

    /// One file version and the verdict on it.
    public struct FileRecord: Sendable {
        public var path: String
        public var identity: FileIdentity
        public var hash: String
        public var state: FileState
        public var step: String?
        public var reason: String
        public var skipReason: String?
        public var kind: ExposureKind?

        public init(
            path: String, identity: FileIdentity, hash: String, state: FileState, step: String? = nil, reason: String,
            skipReason: String? = nil, kind: ExposureKind? = nil
        ) {
            self.path = path
            self.identity = identity
            self.hash = hash
            self.state = state
            self.step = step
            self.reason = reason
            self.skipReason = skipReason
            self.kind = kind
        }
    }

    /// True when this exact version (device, inode, size, mtime) has been recorded.
    public func knows(_ identity: FileIdentity) throws -> Bool {
        try database.withLock { db in
            try !db.query(
                "SELECT 1 FROM files WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ?",
                identityValues(identity)
            ).isEmpty
        }
    }

    /// The skip reason of a version that could not be opened (permissions): the one verdict a version can outgrow.
    public static let unreadableSkipReason = "unreadable"

    /// Forgets this version if it was recorded as unreadable, so that it is assessed again; true when it was.
    public func forgetUnreadable(_ identity: FileIdentity) throws -> Bool {
        try database.withLock { db in
            try !db.query(
                """
                DELETE FROM files WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ? AND skip_reason = ? RETURNING id
                """, identityValues(identity) + [.text(Self.unreadableSkipReason)]
            ).isEmpty
        }
    }

    /// The content hash recorded for this exact version, if it has been recorded.
    public func hash(of identity: FileIdentity) throws -> String? {
        try database.withLock { db in
            try db.query(
                "SELECT hash FROM files WHERE device = ? AND inode = ? AND size = ? AND mtime_ns = ? LIMIT 1",
                identityValues(identity)
            ).first?.first?.string
        }
    }

    /// The path of a file whose same content was successfully taken (a re-download or an untouched copy), if any.
    /// Only content that was taken counts: a skipped, damaged, incomplete or duplicate version shadows nothing, nor
    /// does one whose job failed for good (so it can be taken again), nor one its path has since replaced with other
    /// content (a file changed back to earlier content is taken again, since the outbox holds the later product).
    public func takenFile(withHash hash: String) throws -> String? {
        try database.withLock { db in
            let candidates = try db.query(
                """
                SELECT f.path FROM files f WHERE f.hash = ? AND f.state IN (\(FileState.routed.sql), \(FileState.grouped.sql))
                AND f.id = (SELECT MAX(id) FROM files l WHERE l.path = f.path AND l.state IN (\(FileState.routed.sql), \(FileState.grouped.sql))) ORDER BY f.id
                """, [.text(hash)])
            for path in candidates.compactMap({ $0.first?.string }) {
                let lastJob = try db.query(
                    "SELECT state FROM jobs WHERE group_key IS NULL AND inputs = ? ORDER BY id DESC LIMIT 1",
                    [.text(encode([path]))]
                ).first?.first?.string
                if lastJob.flatMap(JobState.init(rawValue:)) != .failed { return path }
            }
            return nil
        }
    }

    /// Records a file version (and the single-file job it needs, in the same transaction).
    public func record(_ file: FileRecord, job: Job? = nil) throws {
        try record([(file, job)])
    }

    /// Records several file versions and their jobs in one transaction (one fsync for a whole batch).
    public func record(_ entries: [(file: FileRecord, job: Job?)]) throws {
        guard !entries.isEmpty else { return }
        try database.withLock { db in
            try db.transaction {
                for (file, job) in entries {
                    try insert(file, into: db)
                    guard let job else { continue }
                    // A newer version of the same input makes a queued job on the old one pointless.
                    try db.query(
                        "UPDATE jobs SET state = \(JobState.superseded.sql) WHERE state = \(JobState.queued.sql) AND group_key IS NULL AND inputs = ?",
                        [.text(encode(job.inputs))])
                    try insertJob(job, program: file.kind?.program, expType: file.kind?.exposureType, into: db)
                }
            }
        }
    }

    func insert(_ file: FileRecord, into db: SQLiteConnection) throws {
        let kindJSON = file.kind.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
        try db.query(
            """
            INSERT OR IGNORE INTO files (path, device, inode, size, mtime_ns, hash, seen_at, state, step, reason, skip_reason,
                                         kind, exp_type, program)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(file.path)] + identityValues(file.identity) + [
                .text(file.hash), .real(Self.now), .text(file.state.rawValue), .optional(file.step), .text(file.reason),
                .optional(file.skipReason), .optional(kindJSON), .optional(file.kind?.exposureType), .optional(file.kind?.program),
            ])
    }

    func identityValues(_ identity: FileIdentity) -> [SQLiteValue] {
        [
            .integer(Int64(bitPattern: identity.device)), .integer(Int64(bitPattern: identity.inode)), .integer(identity.size),
            .integer(identity.modificationNanoseconds),
        ]
    }

    func encode(_ paths: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(paths)) ?? Data("[]".utf8), as: UTF8.self)
    }

    func decodePaths(_ text: String?) -> [String] {
        text.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }
}
