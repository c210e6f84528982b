import Foundation

/// What `webbflow status` shows, read from the state database: the queue, running jobs, recent products,
/// failures with their reasons, skipped files by reason, and per-step counts and durations.
public struct StatusReport: Sendable, Encodable {
    public struct JobLine: Sendable, Encodable {
        public var id: Int
        public var step: String
        public var inputs: [String]
        public var group: String?
        public var attempts: Int
        public var error: String?
        /// The Slurm job id of the latest attempt handed to Slurm, if any.
        public var slurmJob: Int?
    }
    public struct ProductLine: Sendable, Encodable {
        public var path: String
        public var step: String
        public var writtenAt: String
    }
    public struct FileLine: Sendable, Encodable {
        public var path: String
        public var state: String
        public var reason: String
        public var skipReason: String?
    }
    public struct StepLine: Sendable, Encodable {
        public var step: String
        public var done: Int
        public var failed: Int
        public var queued: Int
        public var running: Int
        public var meanSeconds: Double?
    }

    public var files: [String: Int] = [:]
    public var queued: [JobLine] = []
    public var running: [JobLine] = []
    public var failed: [JobLine] = []
    public var recentProducts: [ProductLine] = []
    public var productCount = 0
    public var skipped: [FileLine] = []
    public var steps: [StepLine] = []

    /// Reads the report from the database in `stateDirectory` (read-only; the daemon may be running).
    public static func read(stateDirectory: String, recent: Int = 10) throws -> StatusReport {
        let store = try StateStore(directory: stateDirectory, readOnly: true)
        return try store.database.withLock { db in
            var report = StatusReport()
            for row in try db.query("SELECT state, COUNT(*) FROM files GROUP BY state") {
                report.files[row[0].string ?? "?"] = row[1].int ?? 0
            }
            func jobs(_ state: String, limit: Int) throws -> [JobLine] {
                try db.query("""
                    SELECT id, step, inputs, group_key, attempts, error,
                           (SELECT slurm_id FROM slurm_jobs s WHERE s.job_id = jobs.id ORDER BY attempt DESC LIMIT 1)
                    FROM jobs WHERE state = ? ORDER BY id DESC LIMIT ?
                    """, [.text(state), .int(limit)]).map { row in
                        JobLine(id: row[0].int ?? 0, step: row[1].string ?? "", inputs: store.decodePaths(row[2].string),
                                group: row[3].string, attempts: row[4].int ?? 0, error: row[5].string, slurmJob: row[6].int)
                    }
            }
            report.queued = try jobs("queued", limit: 1000)
            report.running = try jobs("running", limit: 1000)
            report.failed = try jobs("failed", limit: 1000)
            report.productCount = try db.query("SELECT COUNT(DISTINCT path) FROM products").first?.first?.int ?? 0
            report.recentProducts = try db.query("""
                SELECT p.path, j.step, MAX(p.written_at) FROM products p JOIN jobs j ON j.id = p.job_id
                GROUP BY p.path ORDER BY MAX(p.written_at) DESC LIMIT ?
                """, [.int(recent)]).map { row in
                    ProductLine(path: row[0].string ?? "", step: row[1].string ?? "",
                                writtenAt: ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: row[2].double ?? 0)))
                }
            report.skipped = try db.query("""
                SELECT path, state, reason, skip_reason FROM files WHERE state IN ('skipped', 'duplicate', 'incomplete') ORDER BY id
                """).map { row in
                    FileLine(path: row[0].string ?? "", state: row[1].string ?? "", reason: row[2].string ?? "", skipReason: row[3].string)
                }
            report.steps = try db.query("""
                SELECT step, SUM(state = 'done'), SUM(state = 'failed'), SUM(state = 'queued'), SUM(state = 'running'),
                       AVG(CASE WHEN state = 'done' THEN duration END)
                FROM jobs GROUP BY step ORDER BY step
                """).map { row in
                    StepLine(step: row[0].string ?? "", done: row[1].int ?? 0, failed: row[2].int ?? 0, queued: row[3].int ?? 0,
                             running: row[4].int ?? 0, meanSeconds: row[5].double)
                }
            return report
        }
    }

    /// The report as JSON (snake_case keys).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The report as text for a terminal.
    public var text: String {
        var lines: [String] = []
        let counts = files.keys.sorted().map { "\(files[$0] ?? 0) \($0)" }.joined(separator: ", ")
        lines.append("files:    \(counts.isEmpty ? "none yet" : counts)")
        lines.append("jobs:     \(queued.count) queued, \(running.count) running, \(failed.count) failed")
        for job in running { lines.append("  running  #\(job.id) \(job.step) \(label(job))\(slurm(job))") }
        for job in queued.prefix(10) {
            lines.append("  queued   #\(job.id) \(job.step) \(label(job))\(slurm(job))\(job.error.map { " (last error: \($0))" } ?? "")")
        }
        if !steps.isEmpty {
            lines.append("steps:")
            for s in steps {
                let mean = s.meanSeconds.map { String(format: ", mean %.2f s", $0) } ?? ""
                lines.append("  \(s.step): \(s.done) done, \(s.failed) failed, \(s.queued) queued, \(s.running) running\(mean)")
            }
        }
        lines.append("products: \(productCount)")
        for p in recentProducts { lines.append("  \(p.writtenAt)  \(p.path)") }
        if !failed.isEmpty {
            lines.append("failures:")
            for job in failed { lines.append("  #\(job.id) \(job.step) \(label(job))\(slurm(job)): \(job.error ?? "unknown error")") }
        }
        if !skipped.isEmpty {
            lines.append("not processed:")
            for f in skipped {
                let name = (f.path as NSString).lastPathComponent
                lines.append("  \(name): \(f.state)\(f.skipReason.map { " (\($0))" } ?? ""): \(f.reason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func slurm(_ job: JobLine) -> String { job.slurmJob.map { " (Slurm job \($0))" } ?? "" }

    private func label(_ job: JobLine) -> String {
        job.group ?? job.inputs.first.map { ($0 as NSString).lastPathComponent } ?? ""
    }
}
