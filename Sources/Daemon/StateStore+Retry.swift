import Foundation

extension StateStore {
    /// Which failed jobs `webbflow retry` queues again.
    public enum RetrySelection: Sendable, Equatable {
        /// Every job that failed for good.
        case allFailed
        /// The job with this id.
        case job(Int64)
        /// Every failed job with this file among its inputs.
        case input(String)
    }

    /// Queues failed jobs again with their attempts reset, to run as soon as a worker is free (a running daemon
    /// picks them up at its next round); returns their ids.
    public func requeueFailedJobs(_ selection: RetrySelection) throws -> [Int64] {
        try database.withLock { db in
            try db.transaction {
                let ids = try db.query("SELECT id, inputs FROM jobs WHERE state = \(JobState.failed.sql) ORDER BY id").compactMap {
                    row -> Int64? in
                    guard case .integer(let id) = row[0] else { return nil }
                    switch selection {
                    case .allFailed: return id
                    case .job(let wanted): return id == wanted ? id : nil
                    case .input(let path): return decodePaths(row[1].string).contains(path) ? id : nil
                    }
                }
                for id in ids {
                    try db.query(
                        """
                        UPDATE jobs SET state = \(JobState.queued.sql), attempts = 0, not_before = 0, error = NULL, finished_at = NULL WHERE id = ?
                        """, [.integer(id)])
                }
                return ids
            }
        }
    }
}
