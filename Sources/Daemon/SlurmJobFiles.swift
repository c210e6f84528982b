import Foundation
import Pipeline

/// What the daemon tells a compute node about one attempt of a job (`webbflow job FILE` reads it from the spool).
public struct SlurmJobDescription: Codable, Sendable, Equatable {
    public var job: Job
    /// `KEY=VALUE` step parameters, as the configuration sets them.
    public var assignments: [String]
    /// Content hashes of the inputs known to the daemon, by path, so the node does not hash them again.
    public var contentHashes: [String: String]
    /// Products go to `<outbox>/<program>/`, placed atomically.
    public var outbox: String
    /// Where the node writes the `SlurmJobOutcome`.
    public var outcome: String
}

/// What became of an attempt on its compute node: the products placed, or the step's error with the node's verdict on
/// whether another attempt can help.
public struct SlurmJobOutcome: Codable, Sendable, Equatable {
    public var products: [String]
    public var error: String?
    public var retryable: Bool
    public var seconds: Double
}

/// The files of one attempt in the spool: the description, the batch script, Slurm's output and the outcome.
struct SlurmSpoolFiles {
    let stem: String

    init(spool: String, job id: Int64, attempt: Int) { stem = "\(spool)/job\(id).\(attempt)" }

    var description: String { "\(stem).json" }
    var script: String { "\(stem).sh" }
    var output: String { "\(stem).out" }
    var outcome: String { "\(stem).outcome.json" }

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

    /// Removes the attempt's files; Slurm's output is kept when the attempt failed, for whoever looks into it.
    func remove(keepingOutput: Bool) {
        for path in [description, script, outcome] + (keepingOutput ? [] : [output]) { try? FileManager.default.removeItem(atPath: path) }
    }
}
