import Foundation

extension StateStore {
    /// What `webbflow status` reports; `groupSettleSeconds` dates when open groups fire.
    public func statusReport(recent: Int, groupSettleSeconds: Double) throws -> StatusReport {
        try database.withLock { db in
            var report = StatusReport()
            for row in try db.query("SELECT state, COUNT(*) FROM files GROUP BY state") {
                report.files[row[0].string ?? "?"] = row[1].int ?? 0
            }
            func jobs(_ state: JobState) throws -> [StatusReport.JobLine] {
                try db.query(
                    """
                    SELECT id, step, inputs, group_key, attempts, error,
                           (SELECT slurm_id FROM slurm_jobs s WHERE s.job_id = jobs.id ORDER BY attempt DESC LIMIT 1)
                    FROM jobs WHERE state = ? ORDER BY id DESC LIMIT 1000
                    """, [.text(state.rawValue)]
                ).map { row in
                    StatusReport.JobLine(
                        id: row[0].int ?? 0, step: row[1].string ?? "", inputs: decodePaths(row[2].string),
                        group: row[3].string, attempts: row[4].int ?? 0, error: row[5].string, slurmJob: row[6].int)
                }
            }
            report.queued = try jobs(.queued)
            report.running = try jobs(.running)
            report.failed = try jobs(.failed)
            report.productCount = try db.query("SELECT COUNT(DISTINCT path) FROM products").first?.first?.int ?? 0
            report.recentProducts = try db.query(
                """
                SELECT p.path, j.step, MAX(p.written_at) FROM products p JOIN jobs j ON j.id = p.job_id
                GROUP BY p.path ORDER BY MAX(p.written_at) DESC LIMIT ?
                """, [.int(recent)]
            ).map { row in
                StatusReport.ProductLine(path: row[0].string ?? "", step: row[1].string ?? "", writtenAt: Self.timestamp(row[2].double))
            }
            report.skipped = try db.query(
                """
                SELECT path, state, reason, skip_reason FROM files
                WHERE state IN (\(FileState.skipped.sql), \(FileState.duplicate.sql), \(FileState.incomplete.sql)) ORDER BY id
                """
            ).map { row in
                StatusReport.FileLine(
                    path: row[0].string ?? "", state: row[1].string ?? "", reason: row[2].string ?? "",
                    skipReason: row[3].string)
            }
            report.groups = try db.query(
                """
                SELECT g.key, g.state, g.updated_at, COUNT(m.path), g.reason FROM groups g LEFT JOIN group_members m ON m.group_key = g.key
                WHERE g.state IN (\(GroupState.open.sql), \(GroupState.waiting.sql)) GROUP BY g.key ORDER BY g.updated_at
                """
            ).map { row in
                let state = row[1].string.flatMap(GroupState.init(rawValue:))
                return StatusReport.GroupLine(
                    group: row[0].string ?? "", members: row[3].int ?? 0, lastMemberAt: Self.timestamp(row[2].double),
                    firesAt: state == .open ? Self.timestamp((row[2].double ?? 0) + groupSettleSeconds) : nil, reason: row[4].string)
            }
            report.steps = try db.query(
                """
                SELECT step, SUM(state = \(JobState.done.sql)), SUM(state = \(JobState.failed.sql)), SUM(state = \(JobState.queued.sql)),
                       SUM(state = \(JobState.running.sql)), AVG(CASE WHEN state = \(JobState.done.sql) THEN duration END)
                FROM jobs GROUP BY step ORDER BY step
                """
            ).map { row in
                StatusReport.StepLine(
                    step: row[0].string ?? "", done: row[1].int ?? 0, failed: row[2].int ?? 0,
                    queued: row[3].int ?? 0, running: row[4].int ?? 0, meanSeconds: row[5].double)
            }
            return report
        }
    }

    private static func timestamp(_ seconds: Double?) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds ?? 0))
    }
}
