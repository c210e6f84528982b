import QuickLook

/// Everything Webbflow needs to know about a step, declared once by the step: routing, product names, the
/// already-processed skip, `webbflow steps`, configuration checks, memory budgeting and provenance all read it.
/// A step compiled in builds it with its options type; a step defined at run time builds it from its parameters.
public struct StepManifest: Sendable {
    /// Short identifier used on the command line, in the config (`[steps.NAME]`) and in provenance.
    public var name: String
    /// One line saying what the step does.
    public var summary: String
    /// The kinds of exposure routed to the step; a file goes to the first registered step with a matching route.
    public var routes: [Route]
    /// Suffix of the files the step writes (`nsclean`, `x1d`, `fused_s3d`): a known product type in file names.
    public var productSuffix: String
    /// The FITS status keyword set to COMPLETE in products (S_CLNFNS…). An input that already has it COMPLETE was
    /// processed by this step (or by jwst's equivalent) and is not processed again.
    public var statusKeyword: String
    /// Names the same status had in earlier jwst versions (S_NSCLEN before S_CLNFNS), honoured the same way.
    public var formerStatusKeywords: [String]
    /// The image extensions (EXTNAME) the step reads pixels from; the others are loaded undecoded and copied to
    /// products as they were (`DeferredImage`). Nil: all of them.
    public var reads: Set<String>?
    /// Peak memory of a job beyond the process's own, as a multiple of the total size of its input files: what
    /// the daemon's memory budget reserves for it (measured per step).
    public var memoryPerInputByte: Double
    /// Nil for single-file steps; the rule that gathers inputs into groups for multi-file steps.
    public var grouping: (any GroupingRule)?
    /// The parameters the step takes, in declaration order.
    public var parameters: [ParameterSpec]
    /// The quick-look sheet its products get.
    public var sheet: Sheet

    public init(
        name: String, summary: String, routes: [Route], productSuffix: String, statusKeyword: String,
        formerStatusKeywords: [String] = [], reads: Set<String>? = nil, memoryPerInputByte: Double = 8,
        grouping: (any GroupingRule)? = nil, parameters: [ParameterSpec] = [], sheet: Sheet = .generic
    ) {
        self.name = name
        self.summary = summary
        self.routes = routes
        self.productSuffix = productSuffix
        self.statusKeyword = statusKeyword
        self.formerStatusKeywords = formerStatusKeywords
        self.reads = reads
        self.memoryPerInputByte = memoryPerInputByte
        self.grouping = grouping
        self.parameters = parameters
        self.sheet = sheet
    }

    /// A manifest whose parameters are those `Options` declares.
    public init<Options: StepOptions>(
        name: String, summary: String, routes: [Route], productSuffix: String,
        statusKeyword: String, formerStatusKeywords: [String] = [], reads: Set<String>? = nil,
        memoryPerInputByte: Double = 8, grouping: (any GroupingRule)? = nil, options: Options.Type,
        sheet: Sheet = .generic
    ) {
        self.init(
            name: name, summary: summary, routes: routes, productSuffix: productSuffix, statusKeyword: statusKeyword,
            formerStatusKeywords: formerStatusKeywords, reads: reads, memoryPerInputByte: memoryPerInputByte,
            grouping: grouping, parameters: Options.parameters, sheet: sheet)
    }

    /// The parameter values of a run: defaults overridden by `KEY=VALUE` assignments, each checked.
    public func values(_ assignments: [String] = []) throws(ParameterError) -> ParameterValues {
        try ParameterValues(specs: parameters, assignments: assignments, step: name)
    }
}

/// One kind of exposure a step accepts: instrument, exposure type and product suffix (DESIGN.md's routing table).
public struct Route: Sendable, Equatable {
    public var instruments: Set<String>
    public var exposureTypes: Set<String>
    public var suffixes: Set<String>

    public init(instruments: Set<String>, exposureTypes: Set<String>, suffixes: Set<String>) {
        self.instruments = instruments
        self.exposureTypes = exposureTypes
        self.suffixes = suffixes
    }

    public func matches(_ kind: ExposureKind) -> Bool {
        instruments.contains(kind.instrument) && exposureTypes.contains(kind.exposureType) && suffixes.contains(kind.suffix)
    }

    /// `NIRSPEC NRS_FIXEDSLIT, NRS_IFU _rate/_rateints`, for listings.
    public var description: String {
        "\(instruments.sorted().joined(separator: "/")) \(exposureTypes.sorted().joined(separator: ", ")) _\(suffixes.sorted().joined(separator: "/_"))"
    }
}
