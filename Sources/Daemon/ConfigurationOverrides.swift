import Pipeline

/// Command-line values that win over the configuration file, now and after every SIGHUP reload.
public struct ConfigurationOverrides: Sendable {
    public var inboxes: [String] = []
    public var outbox: String?
    public var failed: String?
    public var stateDirectory: String?
    public var settleSeconds: Double?
    public var groupSettleSeconds: Double?
    public var workers: Int?
    public var memoryBudgetMB: Int?
    public var retryBackoffSeconds: Double?
    public var logTarget: DaemonConfiguration.LogTarget?

    public init() {}

    public func apply(to config: inout DaemonConfiguration) {
        if !inboxes.isEmpty { config.inboxes = inboxes }
        if let outbox { config.outbox = outbox }
        if let failed { config.failed = failed }
        if let stateDirectory { config.stateDirectory = stateDirectory }
        if let settleSeconds { config.settleSeconds = settleSeconds }
        if let groupSettleSeconds { config.groupSettleSeconds = groupSettleSeconds }
        if let workers { config.workers = workers }
        if let memoryBudgetMB { config.memoryBudgetMB = memoryBudgetMB }
        if let retryBackoffSeconds { config.retryBackoffSeconds = retryBackoffSeconds }
        if let logTarget { config.logTarget = logTarget }
    }

    /// The configuration file (if any) with these overrides applied, validated, its step tables against `steps`.
    public func resolve(file: String?, steps: StepRegistry) throws(ConfigurationError) -> DaemonConfiguration {
        var config = try file.map { path throws(ConfigurationError) in try DaemonConfiguration.load(path: path) } ?? DaemonConfiguration()
        apply(to: &config)
        try config.validate()
        do { try config.validate(steps: steps) } catch { throw ConfigurationError("\(file ?? "command line"): \(error.description)") }
        return config
    }
}
