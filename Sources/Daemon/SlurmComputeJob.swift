import Foundation
import Logging
import Pipeline

/// What `webbflow job FILE` does on a compute node: runs the described job with the same step code as the local
/// executor, places its products in the outbox atomically, and writes the outcome to the spool for the daemon.
public enum SlurmComputeJob {
    /// Runs the job described in `descriptionPath`. Throws only when no outcome could be written; a failing step is
    /// an outcome like any other.
    public static func run(descriptionPath: String, registry: StepRegistry, logger: Logger) async throws {
        let description = try JSONDecoder().decode(SlurmJobDescription.self, from: Data(contentsOf: URL(fileURLWithPath: descriptionPath)))
        let started = ContinuousClock.now
        var outcome = SlurmJobOutcome(products: [], error: nil, retryable: false, seconds: 0)
        do {
            outcome.products = try await JobRunner(registry: registry).run(
                description.job, assignments: description.assignments, contentHashes: description.contentHashes,
                writer: ProductWriter(directory: description.outbox, layout: .byProgram), context: StepContext(logger: logger))
        } catch {
            logger.error("\(description.job.step) failed: \(error)")
            outcome.error = "\(error)"
            outcome.retryable = !FailureKind.of(error).isPermanent
        }
        outcome.seconds = (ContinuousClock.now - started).seconds
        let url = URL(fileURLWithPath: description.outcome)
        _ = try AtomicFile.write(try JSONEncoder().encode(outcome), named: url.lastPathComponent, in: url.deletingLastPathComponent().path)
    }
}
