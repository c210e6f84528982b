import ArgumentParser
import Daemon
import Foundation
import Logging
import Numerics

/// `webbflow run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch inboxes for JWST downloads and process each file as it lands.",
        discussion: """
            Files named jw*.fits or jw*.fits.gz that appear anywhere under an inbox (in place, like astroquery and \
            curl write, or renamed into place, like cloud downloads) are taken once they have been quiet for the \
            settle time and are structurally complete. Each file version is recorded in the state database with its \
            verdict; products go to <outbox>/<program>/, permanent failures to the failed folder as .error.json. \
            Nothing is processed twice, even across restarts. Inputs are never modified.

            Flags override the config file (see etc/webbflow.toml for every key). Under systemd (Type=notify) it \
            reports READY/STATUS/WATCHDOG and logs to journald with fields such as WEBBFLOW_STEP and JWST_PROGRAM. \
            SIGHUP reloads the config; SIGTERM stops after the running jobs.

            Examples:
              webbflow run --config /etc/webbflow/webbflow.toml
              webbflow run --inbox ~/mast --outbox ~/products --state-dir ~/.local/state/webbflow
              webbflow run --inbox in --outbox out --state-dir state --exit-when-idle
            """
    )

    @Option(help: "TOML configuration file.")
    var config: String?

    @Option(help: "Folder to watch (repeat for several).")
    var inbox: [String] = []

    @Option(help: "Folder for products (<outbox>/<program>/<file>).")
    var outbox: String?

    @Option(help: "Folder for .error.json reports of permanent failures (default: <state-dir>/failed).")
    var failed: String?

    @Option(help: "Folder for the state database.")
    var stateDir: String?

    @Option(help: "Seconds a file must be quiet before it is taken.")
    var settle: Double?

    @Option(help: "Seconds a multi-file group waits for more members.")
    var groupSettle: Double?

    @Option(help: "Jobs run at once (0: one per core).")
    var workers: Int?

    @Option(help: "MB the running jobs may take together (0: three quarters of the machine's or the unit's memory).")
    var memoryBudgetMb: Int?

    @Option(help: "Seconds before the first retry of a failed job (doubled each time).")
    var retryBackoff: Double?

    @Option(help: "Where logs go: auto, journal or stderr.")
    var logTarget: String?

    @Flag(help: "Stop once every file found has been processed (for demos and batch use).")
    var exitWhenIdle = false

    func run() async throws {
        BLASWorkers.stopIdle()
        var overrides = ConfigurationOverrides()
        overrides.inboxes = inbox
        overrides.outbox = outbox
        overrides.failed = failed
        overrides.stateDirectory = stateDir
        overrides.settleSeconds = settle
        overrides.groupSettleSeconds = groupSettle
        overrides.workers = workers
        overrides.memoryBudgetMB = memoryBudgetMb
        overrides.retryBackoffSeconds = retryBackoff
        if let logTarget {
            guard let target = DaemonConfiguration.LogTarget(rawValue: logTarget) else {
                throw ValidationError("--log-target must be auto, journal or stderr, not '\(logTarget)'")
            }
            overrides.logTarget = target
        }
        let registry = BuiltinSteps.registry
        let resolved: DaemonConfiguration
        do { resolved = try overrides.resolve(file: config, steps: registry) } catch { throw ValidationError(error.description) }
        DaemonLogging.bootstrap(target: resolved.logTarget, level: resolved.logLevel)
        let daemon = try Daemon(
            configurationFile: config, overrides: overrides, registry: registry,
            exitWhenIdle: exitWhenIdle)
        try await daemon.run()
    }
}
