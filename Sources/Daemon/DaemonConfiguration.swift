import Foundation
import Pipeline

/// Everything `webbflow run` can be told: folders, timings, the worker pool, retries, logging and step
/// parameters. Read from TOML (`etc/webbflow.toml` documents each key), overridden by command-line flags,
/// re-read on SIGHUP.
public struct DaemonConfiguration: Sendable, Equatable {
    /// Folders watched recursively for `jw*.fits` / `jw*.fits.gz`.
    public var inboxes: [String] = []
    /// Products go to `<outbox>/<program>/<file>`.
    public var outbox: String = ""
    /// `<input>.error.json` for permanent failures; empty means `<state directory>/failed`.
    public var failed: String = ""
    /// The SQLite state database lives here.
    public var stateDirectory: String = ""
    /// A file must be quiet this long before it is taken.
    public var settleSeconds: Double = 3
    /// A multi-file group that is not complete fires after no new member arrived for this long.
    public var groupSettleSeconds: Double = 60
    /// Jobs run at once; 0 means one per core.
    public var workers: Int = 0
    /// Memory the running jobs may take together, estimated from their steps and input sizes (MB); 0 means three
    /// quarters of the machine's memory or of the service's MemoryMax=, whichever is lower.
    public var memoryBudgetMB: Int = 0
    /// A `.fits.gz` whose headers announce more than this many MB uncompressed is not taken (a small gzip can expand
    /// to gigabytes); its headers are read by streaming decompression, so checking costs no memory.
    public var maxUncompressedMB: Int = 16384
    /// Attempts of a job before it counts as failed for good.
    public var maxAttempts: Int = 3
    /// Wait before the first retry; doubled for each further attempt.
    public var retryBackoffSeconds: Double = 30
    /// Full rescan of the inboxes at this interval, for network filesystems where inotify is blind; 0 disables.
    public var rescanIntervalSeconds: Double = 0
    /// What happens to the input of a permanently failed job: kept in place, copied or moved to the failed folder.
    public var failedInputs: FailedInputPolicy = .keep
    public var logLevel: String = "info"
    /// Where log entries go: journald with structured fields, plain stderr, or journald when running under systemd.
    public var logTarget: LogTarget = .auto
    /// Whether each product gets its quick-look picture (`<product stem>.png`), shown on the outbox page.
    public var pictures: Bool = true
    /// `KEY=VALUE` parameter assignments per step name (`[steps.NAME]` tables).
    public var stepParameters: [String: [String]] = [:]
    /// Built-in steps that also take other steps' products (`accept_products = true` in `[steps.NAME]`), so that a
    /// chain can end in one: jwst's cube_build's `_s3d` on to `syfu`, its spec2's `_cal` on to `atm` or `asset`.
    public var builtInProductTakers: Set<String> = []
    /// Programs run as steps (`[[external_steps]]` tables); read at start, a change needs a restart.
    public var externalSteps: [ExternalStepDefinition] = []
    /// Where jobs run: in this process, or submitted to Slurm (`[slurm]`). Changes only at a restart.
    public var executor: Executor = .local
    public var slurm = SlurmSettings()

    public enum Executor: String, Sendable, CaseIterable, ConfigurationChoice { case local, slurm }
    public enum FailedInputPolicy: String, Sendable, CaseIterable, ConfigurationChoice { case keep, copy, move }
    public enum LogTarget: String, Sendable, CaseIterable, ConfigurationChoice { case auto, journal, stderr }

    public init() {}

    /// The failed folder actually used.
    public var failedDirectory: String { failed.isEmpty ? "\(stateDirectory)/failed" : failed }

    /// Worker count actually used.
    public var workerCount: Int { workers > 0 ? workers : max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The uncompressed size limit of `.fits.gz` inputs, in bytes.
    public var maxUncompressedBytes: Int { maxUncompressedMB << 20 }

    /// Memory budget actually used, in bytes.
    public var memoryBudgetBytes: Int { memoryBudgetMB > 0 ? memoryBudgetMB << 20 : MemoryBudget.automaticLimit() }

    /// Refuses configurations that cannot work or would loop (products written into a watched inbox).
    public func validate() throws(ConfigurationError) {
        if inboxes.isEmpty { throw ConfigurationError("no inbox: give --inbox DIR or `inboxes = [...]` in the config") }
        if outbox.isEmpty { throw ConfigurationError("no outbox: give --outbox DIR or `outbox = \"...\"` in the config") }
        if stateDirectory.isEmpty {
            throw ConfigurationError("no state directory: give --state-dir DIR or `state_directory = \"...\"` in the config")
        }
        if settleSeconds < 0 || groupSettleSeconds < 0 || retryBackoffSeconds < 0 || rescanIntervalSeconds < 0 {
            throw ConfigurationError("times must not be negative")
        }
        if maxAttempts < 1 { throw ConfigurationError("max_attempts must be at least 1") }
        if maxUncompressedMB < 1 { throw ConfigurationError("max_uncompressed_mb must be at least 1") }
        if memoryBudgetMB < 0 { throw ConfigurationError("memory_budget_mb must not be negative (0: automatic)") }
        try ExternalStepDefinition.validate(externalSteps)
        if executor == .slurm { try slurm.validate() }
        for inbox in inboxes {
            for (name, folder) in [("outbox", outbox), ("failed folder", failedDirectory), ("state directory", stateDirectory)]
            where Self.isInside(folder, inbox) {
                throw ConfigurationError("the \(name) \(folder) lies inside the inbox \(inbox): its files would be taken as new input")
            }
        }
    }

    /// Refuses `[steps.NAME]` tables that name no registered step, parameters the step does not declare, and values
    /// of the wrong type or out of range, each with the valid names or values.
    public func validate(steps: StepRegistry) throws(ConfigurationError) {
        do { try steps.validate(settings: stepParameters) } catch { throw ConfigurationError("[steps]: \(error.description)") }
        let external = externalSteps.map(\.manifest)
        let takers = builtInProductTakers.union(externalSteps.filter(\.acceptProducts).map(\.name))
        if let cycle = ChainCycle.find(in: external + steps.all.map(\.manifest), takers: takers) {
            throw ConfigurationError(
                """
                steps form a cycle: \(cycle.joined(separator: " → ")): each accepts the products of the one before \
                (accept_products, and a route that takes its product suffix), so a product would be processed for ever; \
                break the cycle
                """)
        }
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        let p = URL(fileURLWithPath: path).standardizedFileURL.path, f = URL(fileURLWithPath: folder).standardizedFileURL.path
        return p == f || p.hasPrefix(f.hasSuffix("/") ? f : f + "/")
    }
}

/// A configuration that cannot be used, with a message naming the key or flag.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
