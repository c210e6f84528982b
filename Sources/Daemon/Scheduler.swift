import Foundation
import Logging
import Pipeline
import Platform
import ServiceLifecycle

/// The work loop: claims due jobs from the state store and runs them on a bounded pool of workers, within the
/// memory budget (`MemoryBudget`: the first job in the queue waits until its estimate fits; a job larger than the
/// whole budget fails for good without running); feeds the
/// systemd watchdog from this loop (so a hung loop goes unnoticed by nobody); on graceful shutdown stops claiming
/// and lets running jobs finish (a job cut off by the stop timeout is requeued at the next start). With
/// `exitWhenIdle` it asks the daemon to stop once nothing is settling, queued, running or collecting.
final class Scheduler: Service, Sendable {
    private let context: DaemonContext
    private let executor: any JobExecutor
    private let intake: Intake
    private let exitWhenIdle: Bool
    private let requestStop: @Sendable () async -> Void
    private let running = Locked(0)
    private let stopping = Locked(false)
    private let memory = MemoryBudget()
    /// Seconds of quiet before the code pages are handed back: longer than the pauses within a download, so
    /// that the next file does not wait on them.
    static let filePagesDelay = 10.0

    /// `requestStop` asks the whole daemon to stop gracefully (used when idle and `exitWhenIdle`).
    init(
        context: DaemonContext, executor: any JobExecutor, intake: Intake, exitWhenIdle: Bool,
        requestStop: @escaping @Sendable () async -> Void
    ) {
        self.context = context
        self.executor = executor
        self.intake = intake
        self.exitWhenIdle = exitWhenIdle
        self.requestStop = requestStop
    }

    func run() async throws {
        let execution = JobExecution(context: context, executor: executor)
        let followed: [JobRecord]
        do { followed = try executor.jobsToFollowAgain() } catch {
            followed = []
            context.logger.error("cannot read the jobs handed to the cluster before the last stop: \(error)")
        }
        var idleRounds = 0
        var stopRequested = false
        var memoryReturned = true
        var quietSince: Double?
        var waitingForMemory: String?
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                func launch(_ record: JobRecord, reservation: Int) {
                    running.withLock { $0 += 1 }
                    group.addTask {
                        await execution.execute(record)
                        self.memory.release(reservation)
                        self.running.withLock { $0 -= 1 }
                        self.context.schedulerWake.wake()
                    }
                }
                for record in followed { launch(record, reservation: 0) }
                while !stopping.current, !Task.isCancelled {
                    context.notifier.watchdog()
                    while running.current < executor.capacity(context.config), !stopping.current {
                        let claimed: JobRecord?
                        var reserved = 0, refused: (job: Job, bytes: Int)?, oversized: String?
                        do {
                            claimed = try context.store.claimNextJob { job in
                                guard executor.usesLocalMemory else { return true }
                                let bytes = JobMemory.estimate(job, registry: context.registry)
                                // Taken only to be failed for good: it could never fit, and run alone it takes the daemon down.
                                oversized = JobMemory.refusal(
                                    job, needs: bytes, budget: context.config.memoryBudgetBytes, registry: context.registry)
                                if oversized != nil { return true }
                                guard memory.reserve(bytes, within: context.config.memoryBudgetBytes) else {
                                    refused = (job, bytes)
                                    return false
                                }
                                reserved = bytes
                                return true
                            }
                        } catch {
                            memory.release(reserved)
                            context.logger.error("cannot claim a job from the state database: \(error)")
                            break
                        }
                        if let refused, waitingForMemory != refused.job.inputs.first {
                            waitingForMemory = refused.job.inputs.first
                            let budget = context.config.memoryBudgetBytes >> 20
                            context.logger.info(
                                "\(refused.job.step) waits for memory: needs about \(refused.bytes >> 20) MB, \(memory.inUse >> 20) MB of the \(budget) MB budget are taken"
                            )
                        }
                        guard let record = claimed else {
                            memory.release(reserved)
                            break
                        }
                        if let oversized {
                            execution.refuse(record, reason: oversized)
                            continue
                        }
                        waitingForMemory = nil
                        launch(record, reservation: reserved)
                    }
                    // Nothing running or being taken: what the work freed goes back to the system, once per lull;
                    // the pages of code the work touched, once the lull has lasted (a burst of files has pauses).
                    let quiet = running.current == 0 && intake.isIdle
                    if quiet, !memoryReturned {
                        IdleMemory.release()
                        executor.lull()
                        quietSince = StateStore.now
                    }
                    if quiet, let since = quietSince, StateStore.now - since >= Self.filePagesDelay {
                        IdleMemory.releaseFilePages()
                        quietSince = nil
                    }
                    if !quiet { quietSince = nil }
                    memoryReturned = quiet
                    if exitWhenIdle, !stopRequested {
                        idleRounds = isIdle() ? idleRounds + 1 : 0
                        // Two idle rounds in a row, so a file being handed from the watcher to the intake is not missed.
                        // The stop goes through the service group, which shuts every service down in order.
                        if idleRounds >= 2 {
                            context.logger.info("idle: nothing settling, queued, running or collecting; stopping as asked")
                            stopRequested = true
                            await requestStop()
                        }
                    }
                    await context.schedulerWake.wait(upTo: pause())
                }
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.context.schedulerWake.wake()
        }
    }

    /// Time until the next round: short enough for the watchdog and for jobs waiting out a retry backoff.
    private func pause() -> Duration {
        var seconds = exitWhenIdle ? 0.2 : 1.0
        if let period = context.notifier.watchdogPeriod { seconds = min(seconds, period.seconds / 2) }
        if let due = try? context.store.nextDueTime() { seconds = min(seconds, max(0.005, due - StateStore.now)) }
        return .milliseconds(Int64(seconds * 1000))
    }

    private func isIdle() -> Bool {
        guard running.current == 0, intake.isIdle else { return false }
        let counts = (try? context.store.activeJobCounts()) ?? (queued: 1, running: 0)
        let groups = (try? context.store.openGroupCount()) ?? 1
        return counts.queued == 0 && counts.running == 0 && groups == 0
    }
}
