import Foundation
import Logging
import Pipeline
import ServiceLifecycle

/// Runs jobs on a Slurm cluster: each attempt is one `sbatch` of `webbflow job FILE` with a description in the spool
/// (`SlurmJobDescription`), followed with `scontrol` until it ends; the node stages the products beside the outbox
/// and writes the outcome to the spool, and the daemon moves the products into place through the product-clash check
/// (`SlurmStagedProducts`). The submission is recorded before `sbatch` runs and its id after, so a daemon that stops
/// (or dies) while jobs run follows them again at its next start instead of submitting them twice.
struct SlurmExecutor: JobExecutor {
    let context: DaemonContext

    func capacity(_ config: DaemonConfiguration) -> Int { config.slurm.maxJobs }

    /// The cluster's nodes hold the memory; Slurm enforces each job's `--mem`.
    var usesLocalMemory: Bool { false }

    func jobsToFollowAgain() throws -> [JobRecord] { try context.store.jobsSubmittedToSlurm() }

    /// Clears what settled attempts left in the spool and the staging folder (`SlurmSpoolCleanup`).
    func lull() {
        let config = context.config
        do {
            SlurmSpoolCleanup(spool: config.slurm.spool, outbox: config.outbox, settings: config.slurm)
                .run(unsettled: try context.store.unsettledSlurmAttempts())
        } catch {
            context.logger.warning("cannot tell which Slurm jobs are settled, the spool is left as it is: \(error)")
        }
    }

    func run(
        _ record: JobRecord, assignments: [String], contentHashes: [String: String], logger: Logger,
        progress: ProgressReporter
    ) async throws -> [String] {
        let settings = context.config.slurm
        let files = SlurmAttemptFiles(spool: settings.spool, outbox: context.config.outbox, job: record.id, attempt: record.attempts)
        // A submission of this attempt not seen to end: the daemon stopped or died while it was in Slurm's hands.
        let unsettled = try context.store.slurmSubmission(job: record.id, attempt: record.attempts).flatMap {
            $0.endState == nil ? $0 : nil
        }
        let submitted: (id: Int, memoryMB: Int)
        if let unsettled, let known = try await find(unsettled, record, logger: logger) {
            submitted = known
        } else if unsettled != nil, let outcome = files.readOutcome() {
            // Ended and forgotten by Slurm while no daemon followed it; what it left is all there is to know.
            return try accept(outcome, endState: Self.vanished, record: record, files: files)
        } else {
            submitted = try await submit(
                record, files: files, assignments: assignments, contentHashes: contentHashes, settings: settings, logger: logger)
            logger.info("\(record.job.step) submitted to Slurm as job \(submitted.id) with --mem=\(submitted.memoryMB)M")
        }
        context.board.progress(job: record.id, note: "\(record.job.step) in Slurm job \(submitted.id) \(JobExecution.label(record))")
        let end = try await follow(submitted.id, logger: logger)
        return try settle(record, end: end, slurmID: submitted.id, memoryMB: submitted.memoryMB, files: files)
    }

    /// The Slurm job of an earlier `submission` of this attempt: by its recorded id, or — when the daemon died before
    /// recording it — by its unique job name.
    private func find(_ submission: SlurmSubmission, _ record: JobRecord, logger: Logger) async throws -> (id: Int, memoryMB: Int)? {
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
        _ record: JobRecord, files: SlurmAttemptFiles, assignments: [String], contentHashes: [String: String],
        settings: SlurmSettings, logger: Logger
    ) async throws -> (id: Int, memoryMB: Int) {
        let config = context.config
        try FileManager.default.createDirectory(atPath: settings.spool, withIntermediateDirectories: true)
        files.remove(keepingOutput: false)
        let description = SlurmJobDescription(
            job: record.job, assignments: assignments, contentHashes: contentHashes,
            externalStep: (context.registry.step(named: record.job.step) as? ExternalStep)?.definition, pictures: config.pictures,
            staging: files.staging, workFolders: files.work, outcome: files.outcome)
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
        let id: Int
        do { id = try await SlurmCommands.submit(script: files.script, arguments: arguments + settings.sbatchArguments) } catch {
            guard let submitted = try await submittedDespite(error, name: name, logger: logger) else {
                try context.store.recordSlurmEnd(Self.notSubmitted, job: record.id, attempt: record.attempts)
                throw error
            }
            id = submitted
        }
        try context.store.recordSlurmID(id, job: record.id, attempt: record.attempts)
        return (id, memoryMB)
    }

    /// The id of the job `sbatch` failed to submit when Slurm has it all the same (`sbatch` timed out waiting for the
    /// controller's answer after it took the job), found by its unique name; nil when Slurm says it has no such job.
    /// Until Slurm answers, nobody can tell: submitting again could run the job twice, so the daemon keeps asking.
    private func submittedDespite(_ failure: any Error, name: String, logger: Logger) async throws -> Int? {
        logger.warning("\(failure); asking Slurm whether it has the job \(name) all the same")
        while true {
            do { return try await SlurmCommands.job(named: name) } catch {
                logger.warning("cannot ask Slurm about job \(name), asking again: \(error)")
            }
            try await pause()
        }
    }

    /// Waits `poll_seconds` before asking Slurm again. A graceful stop leaves the job to Slurm.
    private func pause() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(context.config.slurm.pollSeconds)) }
        } catch {
            throw ExecutorDetached()
        }
    }

    /// `--mem` in MB: the job's estimate times `memory_scale`, doubled for each earlier attempt Slurm killed for its memory.
    private func memory(for record: JobRecord, settings: SlurmSettings) throws -> Int {
        let estimate = Double(JobMemory.estimate(record.job, registry: context.registry)) * settings.memoryScale
        let outOfMemory = try context.store.slurmSubmissions(job: record.id).filter { $0.endState == Self.outOfMemory }.count
        return max(1, Int((estimate / Double(1 << 20)).rounded(.up))) << outOfMemory
    }

    /// Waits until Slurm says the job ended (or forgot it).
    private func follow(_ id: Int, logger: Logger) async throws -> SlurmCommands.JobState {
        while true {
            let state: SlurmCommands.JobState
            do { state = try await SlurmCommands.state(of: id) } catch {
                logger.warning("cannot ask Slurm about job \(id), asking again: \(error)")
                state = .active("UNREACHABLE")
            }
            if case .active = state {
                try await pause()
                continue
            }
            return state
        }
    }

    /// Records how the attempt ended and returns its products, or throws its failure.
    private func settle(
        _ record: JobRecord, end: SlurmCommands.JobState, slurmID id: Int, memoryMB: Int,
        files: SlurmAttemptFiles
    ) throws -> [String] {
        var endState = Self.vanished, reason = "unknown to Slurm"
        if case .ended(let state, let why) = end { (endState, reason) = (state, why) }
        // Without cgroups Slurm's sampler kills a job over its --mem and reports it FAILED; its log says why.
        if endState != "COMPLETED", files.outputTail(lines: 20).lowercased().contains("exceeded job memory limit") {
            endState = Self.outOfMemory
        }
        if endState == "COMPLETED" || endState == Self.vanished, let outcome = files.readOutcome() {
            return try accept(outcome, endState: endState, record: record, files: files)
        }
        try context.store.recordSlurmEnd(endState, job: record.id, attempt: record.attempts)
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

    /// The products of an attempt whose node wrote its `outcome`, moved into the outbox; or the step's failure on the
    /// node, or the product clash that refuses them. The end is recorded once the products are in place and the
    /// attempt's files go after it (but Slurm's output of a failed attempt): a daemon that dies in between follows the
    /// job again at its next start and places what is left, instead of running the job again.
    private func accept(_ outcome: SlurmJobOutcome, endState: String, record: JobRecord, files: SlurmAttemptFiles) throws -> [String] {
        let placed = Result { () throws -> [String] in
            if let error = outcome.error { throw SlurmJobFailure(description: error, retryable: outcome.retryable) }
            return try SlurmStagedProducts(store: context.store, job: record.id, staging: files.staging, outbox: context.config.outbox)
                .place(outcome.products)
        }
        try context.store.recordSlurmEnd(endState, job: record.id, attempt: record.attempts)
        switch placed {
        case .success: files.remove(keepingOutput: false)
        case .failure: files.remove(keepingOutput: true)
        }
        return try placed.get()
    }

    static let outOfMemory = "OUT_OF_MEMORY"
    /// The end recorded for a job Slurm forgot before the daemon saw it end.
    static let vanished = "VANISHED"
    /// The end recorded for an attempt `sbatch` refused and Slurm does not have.
    static let notSubmitted = "NOT_SUBMITTED"

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
