import Foundation
import Logging
import Pipeline

/// Where a claimed job's step runs: in this process (`LocalExecutor`) or on a cluster (`SlurmExecutor`). The
/// scheduler claims jobs and `JobExecution` records their outcome the same way for both.
protocol JobExecutor: Sendable {
    /// Jobs that may be in flight at once under `config`.
    func capacity(_ config: DaemonConfiguration) -> Int
    /// Whether a job takes its memory on this machine, within the daemon's memory budget (`MemoryBudget`).
    var usesLocalMemory: Bool { get }
    /// Runs the step of `record`'s job and returns the products placed in the outbox; throws what went wrong.
    /// `contentHashes` holds the inputs' known content hashes by path.
    func run(
        _ record: JobRecord, assignments: [String], contentHashes: [String: String], logger: Logger,
        progress: ProgressReporter
    ) async throws -> [String]
    /// Jobs an earlier daemon left running here that go on without it: followed again at start, not claimed again.
    func jobsToFollowAgain() throws -> [JobRecord]
    /// Called once per lull, when no job is in flight.
    func lull()
}

/// The daemon stopped while a job it does not run itself goes on elsewhere: the job stays running in the state
/// database, to be followed again at the next start.
struct ExecutorDetached: Error {}

/// Runs jobs in this process, on the scheduler's workers.
struct LocalExecutor: JobExecutor {
    let context: DaemonContext

    func capacity(_ config: DaemonConfiguration) -> Int { config.workerCount }

    var usesLocalMemory: Bool { true }

    /// Nothing runs here without the daemon: a job it was running when it stopped is queued again (`Daemon`).
    func jobsToFollowAgain() throws -> [JobRecord] { [] }

    /// A job that fails here removes its own temporary files.
    func lull() {}

    func run(
        _ record: JobRecord, assignments: [String], contentHashes: [String: String], logger: Logger,
        progress: ProgressReporter
    ) async throws -> [String] {
        let writer = ProductWriter(directory: context.config.outbox, layout: .byProgram)
        let store = context.store
        let observer = AtomicFile.PlacementObserver { try store.recordPendingProduct($0, job: record.id) }
        return try await AtomicFile.$placementObserver.withValue(observer) {
            try await JobRunner(registry: context.registry, pictures: context.config.pictures).run(
                record.job, assignments: assignments, contentHashes: contentHashes, writer: writer,
                context: StepContext(logger: logger, progress: { fraction, note in progress.report(fraction, note) }))
        }
    }
}
