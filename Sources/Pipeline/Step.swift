import FITS
import Logging

/// What a step is, for `webbflow steps`, routing and provenance.
public struct StepInfo: Sendable {
    /// Short identifier used on the command line and in the routing table: nsclean, atm, asset, syfu.
    public var name: String
    /// One line saying what the step does.
    public var summary: String
    /// Which inputs the step accepts, in words (the routing table decides by rule).
    public var accepts: String
    /// Suffix of the files the step writes (`nsclean`, `atm`, `x1d`, `fused_s3d`).
    public var productSuffix: String
    /// The FITS status keyword set to COMPLETE in products (S_CLNFNS…). An input that already has it COMPLETE was
    /// processed by this step (or by jwst's equivalent) and is not processed again.
    public var statusKeyword: String
    /// Names the same status had in earlier jwst versions (S_NSCLEN before S_CLNFNS), honoured the same way.
    public var formerStatusKeywords: [String]
    public var parameters: [ParameterSpec]
    /// Peak memory of a job beyond the process's own, as a multiple of the total size of its input files: what
    /// the daemon's memory budget reserves for it (measured per step; see `JobMemory`).
    public var memoryPerInputByte: Double
    /// The image extensions (EXTNAME) the step reads pixels from; the others are loaded undecoded and copied to
    /// products as they were (`DeferredImage`). Nil: all of them.
    public var reads: Set<String>?

    public init(name: String, summary: String, accepts: String, productSuffix: String, statusKeyword: String,
                formerStatusKeywords: [String] = [], parameters: [ParameterSpec], memoryPerInputByte: Double = 8,
                reads: Set<String>? = nil) {
        self.name = name
        self.summary = summary
        self.accepts = accepts
        self.productSuffix = productSuffix
        self.statusKeyword = statusKeyword
        self.formerStatusKeywords = formerStatusKeywords
        self.parameters = parameters
        self.memoryPerInputByte = memoryPerInputByte
        self.reads = reads
    }
}

/// How a multi-file step gathers its inputs: which group a file joins and when a group is ready to run.
public protocol GroupingRule: Sendable {
    /// The group this exposure belongs to (for instance "01345-062-S200A1-G235H"), or nil to refuse it.
    func groupKey(for kind: ExposureKind, science: Header?) -> String?
    /// True when the members are enough to run now; otherwise the group fires after its quiet time.
    func isComplete(_ members: [ExposureKind]) -> Bool
    /// True when the members are enough to run at all (for example, a cube and at least one image).
    func isRunnable(_ members: [ExposureKind]) -> Bool
}

/// Where a step reports progress and logs while it runs.
public struct StepContext: Sendable {
    public var logger: Logger
    /// Called with a fraction in 0…1 and a short note; the daemon forwards it to STATUS= and the journal.
    public var progress: @Sendable (Double, String) -> Void

    public init(logger: Logger, progress: @escaping @Sendable (Double, String) -> Void = { _, _ in }) {
        self.logger = logger
        self.progress = progress
    }
}

/// A processing step: a thin interface (parameters, what it accepts, what it writes) over an algorithm made of
/// plain functions on arrays, in the manner of the `jwst` step packages.
public protocol Step: Sendable {
    var info: StepInfo { get }
    /// Nil for single-file steps; the rule that groups inputs for multi-file steps.
    var grouping: (any GroupingRule)? { get }
    /// Runs the step on its inputs (one exposure, or a complete group) and returns the products to write.
    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product]
    /// The products `run` will return, laid out before any work: same file names, HDUs and header cards (values
    /// may differ), with the computed images replaced by any images of the same shapes and types. The writer puts
    /// the HDUs passed through unchanged on disk while the step runs (`ProductDraft`); an outline that turns out
    /// wrong only loses that head start. Empty (the default): the products are written when `run` returns.
    func outline(_ inputs: [Exposure], parameters: ParameterValues) -> [Product]
}

extension Step {
    public var grouping: (any GroupingRule)? { nil }
    public func outline(_ inputs: [Exposure], parameters: ParameterValues) -> [Product] { [] }
}
