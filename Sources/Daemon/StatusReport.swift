import Foundation

/// What `webbflow status` shows, read from the state database: the queue, running jobs, groups gathering members,
/// recent products, failures with their reasons, skipped files by reason, and per-step counts and durations.
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
    /// A multi-file group still gathering members.
    public struct GroupLine: Sendable, Encodable {
        /// `<step>/<group key>`.
        public var group: String
        public var members: Int
        public var lastMemberAt: String
        /// When the group runs with the members it has, if they are enough; nil while it waits for more members.
        public var firesAt: String?
        /// Why a waiting group cannot run (for a NIRSpec cube: why each NIRCam image did not pair with it).
        public var reason: String?
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
    public var groups: [GroupLine] = []
    public var steps: [StepLine] = []

    /// Reads the report from the database in `stateDirectory` (read-only, the daemon may be running; one an older
    /// webbflow wrote is upgraded first when no daemon runs on it). Open groups are shown firing `groupSettleSeconds`
    /// after their last member arrived, as the daemon fires them.
    public static func read(
        stateDirectory: String, recent: Int = 10,
        groupSettleSeconds: Double = DaemonConfiguration().groupSettleSeconds
    ) throws -> StatusReport {
        try StateStore.openForReading(directory: stateDirectory).statusReport(recent: recent, groupSettleSeconds: groupSettleSeconds)
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
        if !groups.isEmpty {
            lines.append("groups:")
            for g in groups {
                let when =
                    g.firesAt.map { "fires at \($0) if runnable, at once when complete" }
                    ?? "waiting for more members" + (g.reason.map { ": \($0)" } ?? "")
                lines.append("  \(g.group): \(g.members) member(s), last at \(g.lastMemberAt); \(when)")
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
