import Foundation
import InstanceLock
import Logging
import Pipeline
import Platform
import ServiceLifecycle
import Systemd
import UnixSignals

/// `webbflow run`: a ServiceGroup of the watcher, the intake, the scheduler with its worker pool and the systemd
/// notifier, sharing one state store. SIGTERM/SIGINT stop it gracefully, SIGHUP reloads the configuration.
public final class Daemon: Sendable {
    private let context: DaemonContext
    /// Where jobs run, chosen by the configuration at start.
    private let executor: any JobExecutor
    private let configurationFile: String?
    private let overrides: ConfigurationOverrides
    private let exitWhenIdle: Bool
    private let handleSignals: Bool
    private let group = Locked<ServiceGroup?>(nil)
    /// Held for the daemon's life: a second daemon on the same state folder would take this one's running jobs
    /// for interrupted ones and run them again.
    private let instanceLock: InstanceLock

    /// - Parameters:
    ///   - configurationFile: re-read on reload; nil when everything comes from `overrides`.
    ///   - registry: the steps, whose manifests say which kinds of file go to which.
    ///   - exitWhenIdle: stop once everything found has been processed (demos, batch use, tests).
    ///   - handleSignals: trap SIGTERM/SIGINT (graceful stop) and SIGHUP (reload); off when embedded in tests.
    public init(
        configurationFile: String?, overrides: ConfigurationOverrides, registry: StepRegistry,
        exitWhenIdle: Bool = false, handleSignals: Bool = true,
        logger: Logger = Logger(label: "webbflow.daemon")
    ) throws {
        let config = try overrides.resolve(file: configurationFile, steps: registry)
        instanceLock = try Self.lockStateFolder(config.stateDirectory)
        let store = try StateStore(directory: config.stateDirectory)
        let catalog = StepCatalog(
            builtIn: registry, external: config.externalSteps, workRoot: Self.externalWorkRoot(config),
            builtInProductTakers: config.builtInProductTakers)
        context = DaemonContext(
            store: store, configuration: Locked(config), registry: catalog.registry,
            classifier: Classifier(registry: catalog.registry), router: Router(registry: catalog.registry),
            productTakers: catalog.productTakers,
            board: ActivityBoard(inboxCount: config.inboxes.count), notifier: SystemdNotifier(), logger: logger)
        executor = config.executor == .slurm ? SlurmExecutor(context: context) : LocalExecutor(context: context)
        self.configurationFile = configurationFile
        self.overrides = overrides
        self.exitWhenIdle = exitWhenIdle
        self.handleSignals = handleSignals
    }

    /// Name of the lock file beside the state database.
    public static let lockFileName = "webbflow.lock"

    /// Takes the state folder's lock before anything reads or changes its database.
    private static func lockStateFolder(_ directory: String) throws -> InstanceLock {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            return try InstanceLock(path: "\(directory)/\(lockFileName)")
        } catch InstanceLockError.held(_, let holder) {
            throw DaemonStartError(
                "another webbflow daemon (PID \(holder.map(String.init) ?? "unknown")) is running on the state folder \(directory); only one daemon may use a state folder"
            )
        }
    }

    /// The folder external programs run in: beside the state database, which the instance lock makes this daemon's.
    private static func externalWorkRoot(_ config: DaemonConfiguration) -> String { "\(config.stateDirectory)/external" }

    /// The configuration in force.
    public var configuration: DaemonConfiguration { context.config }

    /// Runs until stopped (or, with `exitWhenIdle`, until idle).
    public func run() async throws {
        let config = context.config
        let logger = context.logger
        await ExternalWorkFolders(root: Self.externalWorkRoot(config)).reclaim(logger: logger)
        try settleInterruptedJobs()
        ChainIntake(context: context).resume()
        try ContentHashMigration.run(store: self.context.store, logger: logger)
        // Jobs still running on a cluster may be writing there: their leftovers go at the first lull instead.
        if try executor.jobsToFollowAgain().isEmpty { Self.cleanTemporaries(under: config.outbox) }
        AtomicFile.cleanTemporaries(in: config.failedDirectory)
        self.context.outboxPage.refresh(store: self.context.store, outbox: config.outbox, logger: logger)
        let intake = Intake(context: context, roots: config.inboxes)
        let context = self.context
        let watcher = Watcher(
            roots: config.inboxes, logger: logger,
            rescanInterval: { context.config.rescanIntervalSeconds },
            onReady: {
                intake.markStartupScanQueued()
                context.notifier.ready(status: "watching \(config.inboxes.count) inbox(es); startup scan queued")
                logger.info("ready: watching \(config.inboxes.joined(separator: ", ")); products go to \(config.outbox)")
            },
            report: { intake.notice($0) })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: intake, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(
                service: Scheduler(
                    context: context, executor: executor, intake: intake, exitWhenIdle: exitWhenIdle,
                    requestStop: { [weak self] in await self?.stop() }),
                successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: NotifierService(context: context, intake: intake), successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if handleSignals {
            // Trapped before READY=1 can be sent, so an early SIGHUP reloads instead of killing the process.
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            services.append(.init(service: Reloader(daemon: self, signals: hangups), successTerminationBehavior: .ignore))
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: Logger(label: "webbflow.lifecycle")))
        group.withLock { $0 = serviceGroup }
        try await serviceGroup.run()
    }

    /// Stops gracefully: no new jobs, running jobs finish.
    public func stop() async {
        await group.current?.triggerGracefulShutdown()
    }

    /// Re-reads the configuration file (RELOADING=1 … READY=1 around it). Folders cannot change without a restart;
    /// timings, workers, retries and step parameters take effect at once. A bad file keeps the old configuration.
    public func reload() {
        context.notifier.reloading()
        defer { context.notifier.ready(status: "configuration reloaded") }
        do {
            var fresh = try overrides.resolve(file: configurationFile, steps: context.registry)
            let current = context.config
            if fresh.inboxes != current.inboxes || fresh.outbox != current.outbox || fresh.stateDirectory != current.stateDirectory
                || fresh.failed != current.failed
            {
                context.logger.warning("reload: inbox, outbox, failed and state folders change only at a restart; keeping the current ones")
                fresh.inboxes = current.inboxes
                fresh.outbox = current.outbox
                fresh.stateDirectory = current.stateDirectory
                fresh.failed = current.failed
            }
            if fresh.externalSteps != current.externalSteps {
                context.logger.warning("reload: external steps change only at a restart; keeping the current ones")
                fresh.externalSteps = current.externalSteps
            }
            context.configuration.withLock { $0 = fresh }
            context.logger.notice("configuration reloaded from \(configurationFile ?? "the command line")")
            context.schedulerWake.wake()
        } catch {
            context.logger.error("reload failed, keeping the previous configuration: \(error)")
        }
    }

    /// Jobs left running by the last stop: done when their products are in place, made from their inputs as they
    /// are now; failed for good when the daemon died during every allowed attempt; otherwise queued again.
    private func settleInterruptedJobs() throws {
        let store = context.store
        let settled = try store.settleInterruptedJobs(
            maxAttempts: context.config.maxAttempts,
            keepingSubmitted: context.config.executor == .slurm
        ) { record, products in
            let hashes = record.job.inputs.compactMap { input in FileIdentity.of(input).flatMap { try? store.hash(of: $0) } }
            return hashes.count == record.job.inputs.count && products.allSatisfy { ProductProvenance.isWhole($0, madeFrom: hashes) }
        }
        let logger = context.logger
        for record in settled.completed {
            logger.notice(
                "\(record.job.step) on \(JobExecution.label(record)) had placed its products when the daemon stopped; not run again")
        }
        if !settled.requeued.isEmpty { logger.notice("\(settled.requeued.count) job(s) interrupted at the last stop are queued again") }
        let execution = JobExecution(context: context, executor: executor)
        for record in settled.abandoned {
            execution.refuse(record, reason: "the daemon died during this job \(record.attempts) times")
        }
    }

    /// Removes temporary files an interrupted product write left in the outbox's program folders.
    static func cleanTemporaries(under outbox: String) {
        AtomicFile.cleanTemporaries(in: outbox)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? [] {
            AtomicFile.cleanTemporaries(in: "\(outbox)/\(name)")
        }
    }
}

/// Why the daemon cannot start, said to the user as it is.
public struct DaemonStartError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Reloads the configuration on SIGHUP.
final class Reloader: Service, Sendable {
    private let daemon: Daemon
    private let signals: UnixSignalsSequence

    init(daemon: Daemon, signals: UnixSignalsSequence) {
        self.daemon = daemon
        self.signals = signals
    }

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() { daemon.reload() }
    }
}
