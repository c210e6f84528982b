import FITS
import Logging
import Platform

/// Where a step reports progress and logs while it runs.
public struct StepContext: Sendable {
    public var logger: Logger
    /// Called with a fraction in 0…1 and a short note; the daemon forwards it to STATUS= and the journal.
    public var progress: @Sendable (Double, String) -> Void
    /// The job's phase clock when it is being timed (`webbflow process --timings`): the runner times reading,
    /// computing and writing on it, and a step may mark phases of its own (decoding an input it converts).
    public var clock: PhaseClock?

    public init(logger: Logger, progress: @escaping @Sendable (Double, String) -> Void = { _, _ in }, clock: PhaseClock? = nil) {
        self.logger = logger
        self.progress = progress
        self.clock = clock
    }
}

/// A processing step as the pipeline drives it: its manifest, and a run on resolved parameter values. Steps
/// compiled into Webbflow adopt `TypedStep` and read a typed options struct instead of the values.
public protocol Step: Sendable {
    var manifest: StepManifest { get }
    /// Runs the step on its inputs (one exposure, or a complete group) and returns the products to write.
    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product]
    /// The products `run` will return, laid out before any work: same file names, HDUs and header cards (values
    /// may differ), with the computed images replaced by any images of the same shapes and types. The writer puts
    /// the HDUs passed through unchanged on disk while the step runs (`ProductDraft`); an outline that turns out
    /// wrong only loses that head start. Empty (the default): the products are written when `run` returns.
    func outline(_ inputs: [Exposure], parameters: ParameterValues) -> [Product]
}

extension Step {
    public func outline(_ inputs: [Exposure], parameters: ParameterValues) -> [Product] { [] }
}

/// A step whose parameters are a typed options struct declared once (`StepOptions`): a thin interface (options,
/// what it accepts, what it writes) over an algorithm made of plain functions on arrays, in the manner of the
/// `jwst` step packages.
public protocol TypedStep: Step {
    associatedtype Options: StepOptions
    func run(_ inputs: [Exposure], options: Options, context: StepContext) async throws -> [Product]
    func outline(_ inputs: [Exposure], options: Options) -> [Product]
}

extension TypedStep {
    public func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        try await run(inputs, options: Options(parameters), context: context)
    }

    public func outline(_ inputs: [Exposure], parameters: ParameterValues) -> [Product] { outline(inputs, options: Options(parameters)) }

    public func outline(_ inputs: [Exposure], options: Options) -> [Product] { [] }
}
