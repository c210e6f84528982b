import Foundation
import Pipeline

/// What became of the jobs that were running when the daemon last stopped.
public struct InterruptedJobs: Sendable {
    /// Jobs whose products were all found in place, made from their inputs as they are: done, not run again.
    public var completed: [JobRecord] = []
    /// Jobs queued again; the attempt the daemon died in counts.
    public var requeued: [JobRecord] = []
    /// Jobs the daemon died during on every one of their allowed attempts: failed for good.
    public var abandoned: [JobRecord] = []
}

extension StateStore {
    /// Settles the jobs left running by a stop or a crash. A job that had begun placing its products is done when
    /// `inPlace(job, products)` confirms them (a crash between the rename and the commit); otherwise it runs again,
    /// unless it has used up `maxAttempts`: a job the daemon keeps dying in would otherwise take it down at every
    /// restart for ever.
    /// With `keepingSubmitted`, jobs whose current attempt was handed to Slurm are left running, to be followed again.
    public func settleInterruptedJobs(
        maxAttempts: Int, keepingSubmitted: Bool = false,
        inPlace: (JobRecord, [String]) -> Bool
    ) throws -> InterruptedJobs {
        let interrupted: [(record: JobRecord, pending: [String])] = try database.withLock { db in
            let submitted = keepingSubmitted ? "AND NOT \(Self.submittedToSlurm)" : ""
            return try db.query("SELECT \(Self.jobRecordColumns) FROM jobs WHERE state = \(JobState.running.sql) \(submitted) ORDER BY id")
                .compactMap { row in
                    guard let record = jobRecord(row) else { return nil }
                    let pending = try db.query("SELECT path FROM pending_products WHERE job_id = ? ORDER BY path", [.integer(record.id)])
                        .compactMap { $0.first?.string }
                    return (record, pending)
                }
        }
        var outcome = InterruptedJobs()
        for (record, pending) in interrupted {
            if !pending.isEmpty, inPlace(record, pending) {
                try database.withLock { db in try db.transaction { try markDone(record.id, products: pending, duration: nil, in: db) } }
                outcome.completed.append(record)
            } else if record.attempts >= maxAttempts {
                outcome.abandoned.append(record)
            } else {
                try database.withLock { db in
                    try db.query("UPDATE jobs SET state = \(JobState.queued.sql) WHERE id = ?", [.integer(record.id)])
                    try db.query("DELETE FROM pending_products WHERE job_id = ?", [.integer(record.id)])
                }
                outcome.requeued.append(record)
            }
        }
        return outcome
    }
}
