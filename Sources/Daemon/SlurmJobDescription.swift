import Foundation
import Pipeline

/// What the daemon tells a compute node about one attempt of a job (`webbflow job FILE` reads it from the spool).
/// Everything the node needs to run the step as the local executor would is in it: the node reads no configuration
/// file, so a file edited or reloaded while the job waits in Slurm's queue cannot change what the job runs.
public struct SlurmJobDescription: Codable, Sendable, Equatable {
    public var job: Job
    /// `KEY=VALUE` step parameters, as the configuration sets them.
    public var assignments: [String]
    /// Content hashes of the inputs known to the daemon, by path, so the node does not hash them again.
    public var contentHashes: [String: String]
    /// The job's step when it is an external one, defined as the daemon runs it; nil for a built-in step.
    public var externalStep: ExternalStepDefinition?
    /// Whether each product gets its quick-look picture beside it (`pictures` in the configuration).
    public var pictures: Bool
    /// Products are written under `<staging>/<program>/`, a folder of the outbox's filesystem, never straight into
    /// the outbox: the daemon moves them into place after the product-clash check only it can make.
    public var staging: String
    /// Where an external step's program gets its work folder.
    public var workFolders: String
    /// Where the node writes the `SlurmJobOutcome`.
    public var outcome: String
}

/// What became of an attempt on its compute node: the products staged, or the step's error with the node's verdict
/// on whether another attempt can help.
public struct SlurmJobOutcome: Codable, Sendable, Equatable {
    /// Each product's path under the staging folder, which is also its path under the outbox (`<program>/<file>`).
    public var products: [String]
    public var error: String?
    public var retryable: Bool
    public var seconds: Double
}
