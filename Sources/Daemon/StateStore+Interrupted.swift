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
    public func settleInterruptedJobs(maxAttempts: Int, inPlace: (JobRecord, [String]) -> Bool) throws -> InterruptedJobs {
        let interrupted: [(record: JobRecord, pending: [String])] = try database.withLock { db in
            try db.query("SELECT id, step, group_key, inputs, attempts, program, exp_type FROM jobs WHERE state = \(JobState.running.sql) ORDER BY id")
                .compactMap { row in
                    guard case .integer(let id) = row[0], let step = row[1].string else { return nil }
                    let record = JobRecord(id: id, job: Job(step: step, inputs: decodePaths(row[3].string), group: row[2].string),
                                           attempts: row[4].int ?? 1, program: row[5].string, exposureType: row[6].string)
                    let pending = try db.query("SELECT path FROM pending_products WHERE job_id = ? ORDER BY path", [.integer(id)])
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
