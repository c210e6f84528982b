import Foundation
import Logging
import Pipeline
import ServiceLifecycle

/// Runs jobs on a Slurm cluster: each attempt is one `sbatch` of `webbflow job FILE` with a description in the spool
/// (`SlurmJobDescription`), followed with `scontrol` until it ends; the node places the products in the outbox and
/// writes the outcome to the spool. The submission is recorded before `sbatch` runs and its id after, so a daemon
/// that stops (or dies) while jobs run follows them again at its next start instead of submitting them twice.
struct SlurmExecutor: JobExecutor {
    let context: DaemonContext

    func capacity(_ config: DaemonConfiguration) -> Int { config.slurm.maxJobs }

    /// The cluster's nodes hold the memory; Slurm enforces each job's `--mem`.
    var usesLocalMemory: Bool { false }

    func jobsToFollowAgain() throws -> [JobRecord] { try context.store.jobsSubmittedToSlurm() }

    /// Removes the temporary files of products that jobs killed on their nodes (out of memory, cancelled) left in
    /// the outbox; safe only now, when no job of this daemon is writing there.
    func lull() { Daemon.cleanTemporaries(under: context.config.outbox) }

    func run(
        _ record: JobRecord, assignments: [String], contentHashes: [String: String], logger: Logger,
        progress: ProgressReporter
    ) async throws -> [String] {
        let settings = context.config.slurm
        let files = SlurmSpoolFiles(spool: settings.spool, job: record.id, attempt: record.attempts)
        let submitted: (id: Int, memoryMB: Int)
        if let known = try await findSubmission(record, logger: logger) {
            submitted = known
        } else if let outcome = files.readOutcome() {
            // Ended and forgotten by Slurm while no daemon followed it; what it left is all there is to know.
            return try consume(outcome, files: files)
        } else {
            submitted = try await submit(record, files: files, assignments: assignments, contentHashes: contentHashes, settings: settings)
            logger.info("\(record.job.step) submitted to Slurm as job \(submitted.id) with --mem=\(submitted.memoryMB)M")
        }
        context.board.progress(job: record.id, note: "\(record.job.step) in Slurm job \(submitted.id) \(JobExecution.label(record))")
        let end = try await follow(submitted.id, logger: logger)
        return try settle(record, end: end, slurmID: submitted.id, memoryMB: submitted.memoryMB, files: files)
    }

    /// The Slurm job of this attempt when it was submitted before and not seen to end: by its recorded id, or — when
    /// the daemon died before recording it — by its unique job name.
    private func findSubmission(_ record: JobRecord, logger: Logger) async throws -> (id: Int, memoryMB: Int)? {
        guard let submission = try context.store.slurmSubmission(job: record.id, attempt: record.attempts), submission.endState == nil
        else { return nil }
        if let id = submission.slurmID {
            logger.notice("\(record.job.step) on \(JobExecution.label(record)): following Slurm job \(id) again")
            return (id, submission.memoryMB)
        }
        guard let id = try await SlurmCommands.job(named: submission.name) else { return nil }
        try context.store.recordSlurmID(id, job: record.id, attempt: record.attempts)
        logger.notice("\(record.job.step) on \(JobExecution.label(record)): found its Slurm job \(id) by name, following it again")
        return (id, submission.memoryMB)
    }

    private func submit(
        _ record: JobRecord, files: SlurmSpoolFiles, assignments: [String], contentHashes: [String: String],
        settings: SlurmSettings
    ) async throws -> (id: Int, memoryMB: Int) {
        let config = context.config
        try FileManager.default.createDirectory(atPath: settings.spool, withIntermediateDirectories: true)
        files.remove(keepingOutput: false)
        let description = SlurmJobDescription(
            job: record.job, assignments: assignments, contentHashes: contentHashes,
            outbox: config.outbox, outcome: files.outcome)
        try JSONEncoder().encode(description).write(to: URL(fileURLWithPath: files.description))
        let command = settings.command.isEmpty ? (Bundle.main.executablePath ?? "webbflow") : settings.command
        try "#!/bin/sh\nexec \(Self.quoted(command)) job \(Self.quoted(files.description))\n"
            .write(toFile: files.script, atomically: true, encoding: .utf8)

        let memoryMB = try memory(for: record, settings: settings)
        // The name is unique to the job and attempt: a submission whose id went unrecorded is found by it.
        let name = "webbflow-\(record.id).\(record.attempts)-\(record.job.step)-\(JobExecution.label(record))"
        var arguments = [
            "--job-name=\(name)", "--mem=\(memoryMB)M", "--cpus-per-task=\(settings.cpusPerTask)",
            "--output=\(files.output)", "--chdir=\(settings.spool)",
        ]
        if !settings.partition.isEmpty { arguments.append("--partition=\(settings.partition)") }
        if !settings.account.isEmpty { arguments.append("--account=\(settings.account)") }
        if !settings.timeLimit.isEmpty { arguments.append("--time=\(settings.timeLimit)") }
        try context.store.recordSlurmSubmission(job: record.id, attempt: record.attempts, name: name, memoryMB: memoryMB)
        let id = try await SlurmCommands.submit(script: files.script, arguments: arguments + settings.sbatchArguments)
        try context.store.recordSlurmID(id, job: record.id, attempt: record.attempts)
        return (id, memoryMB)
    }

    /// `--mem` in MB: the job's estimate times `memory_scale`, doubled for each earlier attempt Slurm killed for its memory.
    private func memory(for record: JobRecord, settings: SlurmSettings) throws -> Int {
        let estimate = Double(JobMemory.estimate(record.job, registry: context.registry)) * settings.memoryScale
        let outOfMemory = try context.store.slurmSubmissions(job: record.id).filter { $0.endState == Self.outOfMemory }.count
        return max(1, Int((estimate / Double(1 << 20)).rounded(.up))) << outOfMemory
    }

    /// Waits until Slurm says the job ended (or forgot it). A graceful stop leaves the job to Slurm.
    private func follow(_ id: Int, logger: Logger) async throws -> SlurmCommands.JobState {
        while true {
            let state: SlurmCommands.JobState
            do { state = try await SlurmCommands.state(of: id) } catch {
                logger.warning("cannot ask Slurm about job \(id), asking again: \(error)")
                state = .active("UNREACHABLE")
            }
            if case .active = state {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(context.config.slurm.pollSeconds)) }
                } catch {
                    throw ExecutorDetached()
                }
                continue
            }
            return state
        }
    }

    /// Records how the attempt ended and returns its products, or throws its failure.
    private func settle(
        _ record: JobRecord, end: SlurmCommands.JobState, slurmID id: Int, memoryMB: Int,
        files: SlurmSpoolFiles
    ) throws -> [String] {
        var endState = "VANISHED", reason = "unknown to Slurm"
        if case .ended(let state, let why) = end { (endState, reason) = (state, why) }
        // Without cgroups Slurm's sampler kills a job over its --mem and reports it FAILED; its log says why.
        if endState != "COMPLETED", files.outputTail(lines: 20).lowercased().contains("exceeded job memory limit") {
            endState = Self.outOfMemory
        }
        try context.store.recordSlurmEnd(endState, job: record.id, attempt: record.attempts)
        if endState == "COMPLETED" || endState == "VANISHED", let outcome = files.readOutcome() {
            return try consume(outcome, files: files)
        }
        files.remove(keepingOutput: true)
        let tail = files.outputTail()
        let said = tail.isEmpty ? "" : "; its output ends: \(tail)"
        if endState == Self.outOfMemory {
            throw SlurmJobFailure(
                description: "Slurm job \(id) ran out of its \(memoryMB) MB (--mem); the next attempt asks for twice as much",
                retryable: true)
        }
        throw SlurmJobFailure(description: "Slurm job \(id) ended \(endState) (\(reason)) without an outcome\(said)", retryable: true)
    }

    private func consume(_ outcome: SlurmJobOutcome, files: SlurmSpoolFiles) throws -> [String] {
        files.remove(keepingOutput: outcome.error != nil)
        if let error = outcome.error { throw SlurmJobFailure(description: error, retryable: outcome.retryable) }
        return outcome.products
    }

    static let outOfMemory = "OUT_OF_MEMORY"

    /// `text` quoted for the batch script's shell.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// An attempt that failed on the cluster: Slurm ended it, or the step failed on its node.
struct SlurmJobFailure: ClassifiedFailure, CustomStringConvertible {
    let description: String
    let retryable: Bool

    /// The node's verdict: a step refusing its inputs there fails for good, as it would here.
    var failureKind: FailureKind { retryable ? .transient : .invalidInput }
}
