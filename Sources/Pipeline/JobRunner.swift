import FITS
import Logging

/// Runs one job: loads its inputs, resolves parameters, runs the step and writes the products atomically. Products
/// the step outlines are begun before it runs, so that what they pass through unchanged is written meanwhile.
public struct JobRunner: Sendable {
    public var registry: StepRegistry

    public init(registry: StepRegistry) { self.registry = registry }

    /// Runs `job` and returns the paths written. Parameter assignments are `KEY=VALUE` strings; `contentHashes` holds
    /// the inputs whose content hash is already known (by path), which are then not hashed again.
    public func run(_ job: Job, assignments: [String] = [], contentHashes: [String: String] = [:], writer: ProductWriter,
                    context: StepContext) async throws -> [String] {
        guard let step = registry.step(named: job.step) else { throw PipelineError("step '\(job.step)' is not registered") }
        let parameters = try ParameterValues(specs: step.info.parameters, assignments: assignments)
        var inputs: [Exposure] = []
        for path in job.inputs {
            let input: Exposure
            do { input = try Exposure.load(path, reads: step.info.reads, contentHash: contentHashes[path]) } catch let error as FITSError {
                throw PipelineError("cannot read \(path): \(error.message)")
            }
            for warning in input.warnings { context.logger.warning("\(path): \(warning)") }
            inputs.append(input)
        }
        let drafts = step.outline(inputs, parameters: parameters).compactMap { outline in
            writer.begin(outline, step: step.info, parameters: parameters, inputs: inputs)
        }
        defer { for draft in drafts { draft.discard() } }
        let products = try await step.run(inputs, parameters: parameters, context: context)
        var written: [String] = []
        for product in products {
            written.append(try writer.write(product, step: step.info, parameters: parameters, inputs: inputs, drafts: drafts))
        }
        return written
    }
}

/// A failure of the pipeline itself (unknown step, unreadable input), with a message for the user.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
