import Foundation
import Pipeline
import SQLite

/// A job as the state database holds it.
public struct JobRecord: Sendable, Equatable {
    public var id: Int64
    public var job: Job
    /// Attempts so far, including the one now starting.
    public var attempts: Int
    public var program: String?
    public var exposureType: String?
}

extension StateStore {
    func insertJob(_ job: Job, program: String?, expType: String?, into db: SQLiteConnection) throws {
        try db.query(
            """
            INSERT INTO jobs (step, group_key, inputs, state, created_at, program, exp_type) VALUES (?, ?, ?, \(JobState.queued.sql), ?, ?, ?)
            """,
            [.text(job.step), .optional(job.group), .text(encode(job.inputs)), .real(Self.now), .optional(program), .optional(expType)])
    }

    /// Marks the oldest runnable queued job as running (one more attempt) and returns it; nil when none is due,
    /// or when `admit` turns it down (the memory budget: it stays first in the queue and is offered again).
    public func claimNextJob(now: Double = StateStore.now, admit: (Job) -> Bool = { _ in true }) throws -> JobRecord? {
        try database.withLock { db in
            let candidates = try db.query(
                """
                SELECT id, step, group_key, inputs FROM jobs WHERE state = \(JobState.queued.sql) AND not_before <= ? ORDER BY not_before, id LIMIT 1
                """, [.real(now)])
            guard let candidate = candidates.first, case .integer(let id) = candidate[0], let step = candidate[1].string,
                admit(Job(step: step, inputs: decodePaths(candidate[3].string), group: candidate[2].string))
            else { return nil }
            let rows = try db.query(
                """
                UPDATE jobs SET state = \(JobState.running.sql), attempts = attempts + 1, started_at = ? WHERE id = ?
                RETURNING \(Self.jobRecordColumns)
                """, [.real(now), .integer(id)])
            return rows.first.flatMap(jobRecord)
        }
    }

    /// The columns `jobRecord(_:)` reads, in its order.
    static let jobRecordColumns = "id, step, group_key, inputs, attempts, program, exp_type"

    /// A job record from a row of `jobRecordColumns`.
    func jobRecord(_ row: [SQLiteValue]) -> JobRecord? {
        guard case .integer(let id) = row[0], let step = row[1].string else { return nil }
        return JobRecord(
            id: id, job: Job(step: step, inputs: decodePaths(row[3].string), group: row[2].string),
            attempts: row[4].int ?? 1, program: row[5].string, exposureType: row[6].string)
    }

    /// Records success and the products written.
    public func finishJob(_ id: Int64, products: [String], duration: Double) throws {
        try database.withLock { db in
            try db.transaction { try markDone(id, products: products, duration: duration, in: db) }
        }
    }

    func markDone(_ id: Int64, products: [String], duration: Double?, in db: SQLiteConnection) throws {
        try db.query(
            "UPDATE jobs SET state = \(JobState.done.sql), finished_at = ?, duration = ?, error = NULL WHERE id = ?",
            [.real(Self.now), duration.map(SQLiteValue.real) ?? .null, .integer(id)])
        try db.query("DELETE FROM pending_products WHERE job_id = ?", [.integer(id)])
        for path in products {
            try db.query("INSERT INTO products (job_id, path, written_at) VALUES (?, ?, ?)", [.integer(id), .text(path), .real(Self.now)])
        }
    }

    /// Records, durably and before it is renamed into place, that job `id` is placing the product `path`: a crash
    /// between the rename and `finishJob` then leaves a trace that the product may already be in place. Throws
    /// `ProductConflict` instead when a job on other inputs wrote that path or is placing it: two inputs that make
    /// the same product name (one exposure in two folders, `X.fits` beside `X.fits.gz`) must not overwrite each other.
    public func recordPendingProduct(_ path: String, job id: Int64) throws {
        try database.withLock { db in
            try db.transaction {
                let own = try db.query("SELECT inputs, group_key FROM jobs WHERE id = ?", [.integer(id)]).first ?? [.null, .null]
                let others = try db.query(
                    """
                    SELECT j.inputs, j.group_key FROM products p JOIN jobs j ON j.id = p.job_id WHERE p.path = ? AND j.id != ?
                    UNION
                    SELECT j.inputs, j.group_key FROM pending_products q JOIN jobs j ON j.id = q.job_id
                    WHERE q.path = ? AND j.id != ? AND j.state = \(JobState.running.sql)
                    """, [.text(path), .integer(id), .text(path), .integer(id)])
                // The same inputs (a newer version of them) or the same group (re-fired with more members) is the same work.
                let sameWork = { (other: [SQLiteValue]) in
                    if let group = own[1].string, let otherGroup = other[1].string { return group == otherGroup }
                    return own[0] == other[0]
                }
                if let other = others.first(where: { !sameWork($0) }) {
                    throw ProductConflict(product: path, writtenFrom: decodePaths(other[0].string), refused: decodePaths(own[0].string))
                }
                try db.query("INSERT OR IGNORE INTO pending_products (job_id, path) VALUES (?, ?)", [.integer(id), .text(path)])
            }
        }
    }

    /// Puts a job stopped by a graceful shutdown back in the queue; the attempt it was on does not count.
    public func returnStoppedJob(_ id: Int64) throws {
        try database.withLock { db in
            try db.query(
                """
                UPDATE jobs SET state = \(JobState.queued.sql), not_before = 0, attempts = MAX(attempts - 1, 0), error = 'interrupted by shutdown'
                WHERE id = ?
                """, [.integer(id)])
            try db.query("DELETE FROM pending_products WHERE job_id = ?", [.integer(id)])
        }
    }

    /// Puts a failed job back in the queue, to run again no earlier than `notBefore`.
    public func retryJob(_ id: Int64, error: String, notBefore: Double) throws {
        try database.withLock { db in
            try db.query(
                "UPDATE jobs SET state = \(JobState.queued.sql), not_before = ?, error = ? WHERE id = ?",
                [.real(notBefore), .text(error), .integer(id)])
        }
    }

    /// Records a permanent failure.
    public func failJob(_ id: Int64, error: String, duration: Double) throws {
        try database.withLock { db in
            try db.query(
                "UPDATE jobs SET state = \(JobState.failed.sql), finished_at = ?, duration = ?, error = ? WHERE id = ?",
                [.real(Self.now), .real(duration), .text(error), .integer(id)])
        }
    }

    /// Jobs waiting to run and jobs running now.
    public func activeJobCounts() throws -> (queued: Int, running: Int) {
        try database.withLock { db in
            let rows = try db.query(
                "SELECT state, COUNT(*) FROM jobs WHERE state IN (\(JobState.queued.sql), \(JobState.running.sql)) GROUP BY state")
            var queued = 0, running = 0
            for row in rows {
                if row[0].string.flatMap(JobState.init(rawValue:)) == .queued {
                    queued = row[1].int ?? 0
                } else {
                    running = row[1].int ?? 0
                }
            }
            return (queued, running)
        }
    }

    /// The earliest future time a queued job becomes due (jobs waiting out a retry backoff).
    public func nextDueTime(after now: Double = StateStore.now) throws -> Double? {
        try database.withLock { db in
            try db.query("SELECT MIN(not_before) FROM jobs WHERE state = \(JobState.queued.sql) AND not_before > ?", [.real(now)]).first?
                .first?.double
        }
    }
}
