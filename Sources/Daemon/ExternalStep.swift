import FITS
import Foundation
import Pipeline

/// A program registered in the configuration, run as a step: its inputs' paths and a fresh output folder are put
/// into its command line, and what it writes there (`*_<product suffix>.fits`) is checked and returned as
/// products, which the job runner then stamps with provenance and places like any step's.
struct ExternalStep: Step {
    let definition: ExternalStepDefinition
    /// Where each run gets its output folder (`ExternalWorkFolders`).
    let workFolders: ExternalWorkFolders

    var manifest: StepManifest { definition.manifest }

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        // Absolute: the program runs in its work folder, not where the daemon or `webbflow process` was started.
        let paths = inputs.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path }
        let folder = try workFolders.fresh(step: definition.name, inputs: paths)
        defer { workFolders.remove(folder) }
        let outdir = "\(folder)/out"
        try FileManager.default.createDirectory(atPath: outdir, withIntermediateDirectories: true)
        let command = ExternalCommand(
            arguments: Self.substitute(definition.command, inputs: paths, outdir: outdir, step: definition.name),
            environment: definition.environment, timeout: .milliseconds(Int64(definition.timeoutSeconds * 1000)))
        context.logger.info("\(definition.name) runs \(command.arguments.joined(separator: " "))")
        let outcome = try await command.run(in: folder, logger: context.logger)
        let tail = outcome.tail.joined(separator: "\n")
        if outcome.timedOut {
            throw ExternalStepFailure(
                .transient, "\(definition.name) ran longer than its timeout of \(definition.timeoutSeconds) s and was killed",
                output: tail)
        }
        guard outcome.status.isSuccess else {
            throw ExternalStepFailure(.transient, "\(definition.name) ended with \(outcome.status)", output: tail)
        }
        let program = inputs.first?.kind.program ?? ""
        do {
            return try ExternalProducts.collect(in: outdir, suffix: definition.productSuffix, program: program)
        } catch let failure as ExternalStepFailure {
            throw ExternalStepFailure(failure.failureKind, failure.message, output: tail)
        }
    }

    /// The command line with its placeholders replaced.
    static func substitute(_ command: [String], inputs: [String], outdir: String, step: String) -> [String] {
        command.flatMap { argument -> [String] in
            if argument == "{inputs}" { return inputs }
            return [
                argument.replacingOccurrences(of: "{input}", with: inputs.first ?? "")
                    .replacingOccurrences(of: "{stem}", with: inputs.first.map { ProductName($0).stem } ?? "")
                    .replacingOccurrences(of: "{outdir}", with: outdir).replacingOccurrences(of: "{step}", with: step)
            ]
        }
    }
}

/// Why an external step's run failed, with the last lines of its output (they go into `failed/<name>.error.json`).
/// A program that failed or hung may do better next time (a reference-file server down, a full disk): that is
/// retried like any transient failure; a missing or damaged product is the program's answer to its input.
struct ExternalStepFailure: ClassifiedFailure, CustomStringConvertible {
    let failureKind: FailureKind
    let message: String
    let output: String

    init(_ failureKind: FailureKind, _ message: String, output: String = "") {
        self.failureKind = failureKind
        self.message = message
        self.output = output
    }

    var description: String { output.isEmpty ? message : "\(message); last output:\n\(output)" }
}
