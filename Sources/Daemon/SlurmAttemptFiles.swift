import Foundation

/// The files of one attempt of a job on the cluster: in the spool its description, batch script, Slurm's output,
/// outcome and the work folder of an external step's program; in the outbox the folder its products are staged in.
struct SlurmAttemptFiles {
    let stem: String
    let staging: String

    init(spool: String, outbox: String, job: Int64, attempt: Int) {
        stem = "\(spool)/\(Self.name(job: job, attempt: attempt))"
        staging = "\(Self.stagingRoot(outbox: outbox))/\(Self.name(job: job, attempt: attempt))"
    }

    var description: String { "\(stem).json" }
    var script: String { "\(stem).sh" }
    var output: String { "\(stem).out" }
    var outcome: String { "\(stem).outcome.json" }
    var work: String { "\(stem).work" }

    /// `job<id>.<attempt>`: the start of the name of each of the attempt's files.
    static func name(job: Int64, attempt: Int) -> String { "job\(job).\(attempt)" }

    /// The job and attempt a file or folder named by `name(job:attempt:)` belongs to.
    static func attempt(named name: String) -> SlurmAttempt? {
        guard let match = name.firstMatch(of: /job(\d+)\.(\d+)(\.|$)/), let job = Int64(match.1), let attempt = Int(match.2)
        else { return nil }
        return SlurmAttempt(job: job, attempt: attempt)
    }

    /// The folder under the outbox, hidden and on the outbox's filesystem (so that a staged product is moved into
    /// place by a rename), where the attempts' products wait for the daemon's check.
    static func stagingRoot(outbox: String) -> String { "\(outbox)/.webbflow-staging" }

    /// The outcome the node wrote, nil when it wrote none.
    func readOutcome() -> SlurmJobOutcome? {
        guard let data = FileManager.default.contents(atPath: outcome) else { return nil }
        return try? JSONDecoder().decode(SlurmJobOutcome.self, from: data)
    }

    /// The last lines Slurm captured from the job (its stdout and stderr), for error messages.
    func outputTail(lines: Int = 5) -> String {
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// Removes the attempt's files and folders; Slurm's output is kept when the attempt failed, for whoever looks
    /// into it, until the spool's clean-up (`SlurmSpoolCleanup`) lets it go.
    func remove(keepingOutput: Bool) {
        for path in [description, script, outcome, work, staging] + (keepingOutput ? [] : [output]) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

/// One attempt of one job, as the spool's file names and the state database both identify it.
struct SlurmAttempt: Hashable, Sendable {
    let job: Int64
    let attempt: Int
}
