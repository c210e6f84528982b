import Foundation
import Logging
import Pipeline

/// What `webbflow job FILE` does on a compute node: runs the described job with the same step code as the local
/// executor (an external step from the definition the description carries), stages its products atomically for the
/// daemon to move into the outbox, and writes the outcome to the spool.
public enum SlurmComputeJob {
    /// Runs the job described in `descriptionPath` with the steps of `builtIn` and the description's external step.
    /// Throws only when no outcome could be written; a failing step is an outcome like any other.
    public static func run(descriptionPath: String, builtIn: StepRegistry, logger: Logger) async throws {
        let description = try JSONDecoder().decode(SlurmJobDescription.self, from: Data(contentsOf: URL(fileURLWithPath: descriptionPath)))
        let catalog = StepCatalog(
            builtIn: builtIn, external: description.externalStep.map { [$0] } ?? [], workRoot: description.workFolders)
        let started = ContinuousClock.now
        var outcome = SlurmJobOutcome(products: [], error: nil, retryable: false, seconds: 0)
        do {
            let staged = try await JobRunner(registry: catalog.registry, pictures: description.pictures).run(
                description.job, assignments: description.assignments, contentHashes: description.contentHashes,
                writer: ProductWriter(directory: description.staging, layout: .byProgram), context: StepContext(logger: logger))
            outcome.products = staged.map { String($0.dropFirst(description.staging.count + 1)) }
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
