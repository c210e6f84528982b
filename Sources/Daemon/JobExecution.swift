import Foundation
import Logging
import Pipeline
import Platform
import SQLite

/// Runs one claimed job on its executor, then records the outcome: products on success; on failure a retry
/// after a backoff, or — after the last attempt, or for an error that no retry can fix — a permanent failure with
/// its `.error.json` in the failed folder.
struct JobExecution: Sendable {
    let context: DaemonContext
    let executor: any JobExecutor

    func execute(_ record: JobRecord) async {
        let config = context.config
        let job = record.job
        let label = Self.label(record)
        let logger = logger(for: record)
        logger.info(
            "\(job.step) started on \(label) (attempt \(record.attempts) of \(config.maxAttempts))",
            metadata: [LogField.outcome: "started"])
        context.board.started(job: record.id, note: "\(job.step) \(label)")
        let started = ContinuousClock.now
        let parameters = config.stepParameters[job.step] ?? []
        let progress = ProgressReporter(job: record.id, step: job.step, label: label, board: context.board, logger: logger)
        var written: [String] = []
        defer { context.board.ended(job: record.id, products: written) }
        do {
            // An input still at the version intake hashed (same device, inode, size and modification time) is not
            // hashed again for the products' provenance: the hash of every taken file is in the state database.
            var hashes: [String: String] = [:]
            for input in job.inputs {
                guard let identity = FileIdentity.of(input) else {
                    throw StepFailure(.invalidInput, "input \(input) is gone (deleted or moved before the job ran)")
                }
                hashes[input] = try? context.store.hash(of: identity)
            }
            written = try await executor.run(record, assignments: parameters, contentHashes: hashes, logger: logger, progress: progress)
            let duration = ContinuousClock.now - started
            try context.store.finishJob(record.id, products: written, duration: duration.seconds)
            ChainIntake(context: context).passOn(written, from: record.id)
            recordPictures(of: written, job: record.id, logger: logger)
            for product in written {
                logger.info(
                    "\(job.step) wrote \(product)",
                    metadata: [
                        LogField.outcome: "success", LogField.product: "\(product)",
                        LogField.durationMicroseconds: "\(duration.microseconds)",
                    ])
            }
            if written.isEmpty {
                logger.notice(
                    "\(job.step) finished on \(label) without products",
                    metadata: [LogField.outcome: "success", LogField.durationMicroseconds: "\(duration.microseconds)"])
            }
        } catch {
            fail(record, error: error, duration: ContinuousClock.now - started, parameters: parameters, logger: logger)
        }
    }

    /// Records the pictures drawn beside `products` and shows them on the outbox page. A picture is no product: one
    /// that could not be recorded costs a warning, never the job.
    private func recordPictures(of products: [String], job id: Int64, logger: Logger) {
        let pictures = products.map { (product: $0, picture: JobRunner.picturePath(besideProductAt: $0)) }
            .filter { FileManager.default.fileExists(atPath: $0.picture) }
        do { try context.store.recordPictures(pictures, job: id) } catch {
            logger.warning("cannot record the quick-look pictures of job \(id): \(error)")
        }
        context.outboxPage.refresh(store: context.store, outbox: context.config.outbox, logger: logger)
    }

    /// Fails a job for good without running it: `reason` says why no attempt can succeed.
    func refuse(_ record: JobRecord, reason: String) {
        fail(
            record, error: StepFailure(.unsupported, reason), duration: .zero,
            parameters: context.config.stepParameters[record.job.step] ?? [],
            logger: logger(for: record))
    }

    /// The job's logger, carrying its structured fields.
    private func logger(for record: JobRecord) -> Logger {
        let job = record.job
        var logger = context.logger
        logger[metadataKey: LogField.step] = "\(job.step)"
        logger[metadataKey: LogField.file] = "\(job.inputs.first ?? "")"
        logger[metadataKey: LogField.job] = "\(record.id)"
        logger[metadataKey: LogField.attempt] = "\(record.attempts)"
        if let group = job.group { logger[metadataKey: LogField.group] = "\(group)" }
        if let type = record.exposureType { logger[metadataKey: LogField.exposureType] = "\(type)" }
        if let program = record.program { logger[metadataKey: LogField.program] = "\(program)" }
        return logger
    }

    static func label(_ record: JobRecord) -> String {
        record.job.group ?? record.job.inputs.first.map { ($0 as NSString).lastPathComponent } ?? "job \(record.id)"
    }

    private func fail(_ record: JobRecord, error: Error, duration: Duration, parameters: [String], logger: Logger) {
        let config = context.config
        let message = "\(error)"
        let metadata: Logger.Metadata = [LogField.durationMicroseconds: "\(duration.microseconds)"]
        do {
            if error is ExecutorDetached {
                logger.notice(
                    "\(record.job.step) goes on without the daemon; the next start follows it again",
                    metadata: metadata.merging([LogField.outcome: "detached"]) { $1 })
                return
            }
            if Task.isCancelled || error is CancellationError {
                // Stopped, not failed: the attempt does not count.
                try context.store.returnStoppedJob(record.id)
                logger.notice(
                    "\(record.job.step) interrupted by shutdown; it runs again at the next start",
                    metadata: metadata.merging([LogField.outcome: "interrupted"]) { $1 })
                return
            }
            let kind = FailureKind.of(error)
            if !kind.isPermanent, record.attempts < config.maxAttempts {
                let delay = config.retryBackoffSeconds * pow(2, Double(record.attempts - 1))
                try context.store.retryJob(record.id, error: message, notBefore: StateStore.now + delay)
                logger.warning(
                    "\(record.job.step) failed (attempt \(record.attempts)): \(message); retrying in \(Int(delay.rounded())) s",
                    metadata: metadata.merging([LogField.outcome: "retry"]) { $1 })
                return
            }
            try context.store.failJob(record.id, error: message, duration: duration.seconds)
            let report = FailureReport(
                step: record.job.step, inputs: record.job.inputs, group: record.job.group, error: message,
                attempts: record.attempts, parameters: parameters)
            let path = try report.write(to: config.failedDirectory, inputs: config.failedInputs)
            logger.error(
                "\(record.job.step) failed for good: \(message) (report: \(path))",
                metadata: metadata.merging([LogField.outcome: "failed"]) { $1 })
            context.outboxPage.refresh(store: context.store, outbox: config.outbox, logger: logger)
        } catch {
            logger.error("cannot record the failure of job \(record.id) (\(message)): \(error)")
        }
    }
}

/// Two inputs that make the same product: the same inputs would conflict again.
extension ProductConflict: ClassifiedFailure {
    var failureKind: FailureKind { .invalidInput }
}

/// Forwards a step's progress to the STATUS line at once and to the log at sensible intervals (every 10 % or
/// 30 s, whichever comes first), so long steps are visible without flooding the journal.
final class ProgressReporter: Sendable {
    private let job: Int64
    private let step: String
    private let label: String
    private let board: ActivityBoard
    private let logger: Logger
    private let last = Locked<(fraction: Double, time: ContinuousClock.Instant)>((-1, .now))

    init(job: Int64, step: String, label: String, board: ActivityBoard, logger: Logger) {
        self.job = job
        self.step = step
        self.label = label
        self.board = board
        self.logger = logger
    }

    func report(_ fraction: Double, _ note: String) {
        let clamped = min(1, max(0, fraction))
        let percent = Int((clamped * 100).rounded())
        board.progress(job: job, note: "\(step) \(percent)% \(label)")
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            guard clamped - last.fraction >= 0.1 || now - last.time >= .seconds(30) else { return false }
            last = (clamped, now)
            return true
        }
        if due {
            logger.info("\(step) \(percent)%: \(note)", metadata: [LogField.progress: "\(percent)"])
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
    var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
