import Pipeline

/// An external step as the configuration declares it (`[[external_steps]]`): a program run on the files a route
/// gives it, what it accepts, what it writes, and its limits. `ExternalStep` runs it.
public struct ExternalStepDefinition: Sendable, Equatable {
    public var name: String
    public var summary: String
    /// The program and its arguments. `{inputs}` as a whole argument becomes one argument per input path;
    /// `{input}` (the first input), `{stem}` (its name without product suffix and extension), `{outdir}` (the
    /// folder the program writes its products into) and `{step}` are replaced wherever they appear.
    public var command: [String]
    /// Variables added to the daemon's environment for the program (CRDS_PATH, CRDS_SERVER_URL…).
    public var environment: [String: String] = [:]
    public var instruments: Set<String>
    public var exposureTypes: Set<String>
    /// Product suffixes of the files it takes (rate, cal, x1d…).
    public var suffixes: Set<String>
    /// Suffix of the files it writes: every `*_<suffix>.fits` in `{outdir}` is a product.
    public var productSuffix: String
    /// Whether products of other steps that match the route become its inputs (a chain), not only downloads.
    public var acceptProducts: Bool = false
    /// For multi-file steps: the exposure fields whose values make up a group (program, observation, visit,
    /// exposure_type, grating, filter, detector, target); empty for a step run on each file alone.
    public var groupBy: [String] = []
    /// Seconds the program may run before its whole process group is killed.
    public var timeoutSeconds: Double = 3600
    /// Peak memory of a run as a multiple of its inputs' size, reserved in the daemon's memory budget.
    public var memoryPerInputByte: Double = 4
    /// A FITS keyword the program sets to COMPLETE in what it writes (S_COMB1D…); inputs that have it are not
    /// processed again. Empty: none.
    public var statusKeyword: String = ""

    public init(
        name: String, summary: String, command: [String], instruments: Set<String>, exposureTypes: Set<String>,
        suffixes: Set<String>, productSuffix: String
    ) {
        self.name = name
        self.summary = summary
        self.command = command
        self.instruments = instruments
        self.exposureTypes = exposureTypes
        self.suffixes = suffixes
        self.productSuffix = productSuffix
    }

    /// The kinds of file routed to this step.
    var route: Route { Route(instruments: instruments, exposureTypes: exposureTypes, suffixes: suffixes) }

    /// The step as routing, grouping, listings and the cycle check see it.
    var manifest: StepManifest {
        let program = "external program \(command.first ?? "")"
        return StepManifest(
            name: name, summary: summary.isEmpty ? program : "\(summary) (\(program))",
            routes: [route], productSuffix: productSuffix, statusKeyword: statusKeyword,
            // The program reads the files itself: nothing is decoded here.
            reads: [], memoryPerInputByte: memoryPerInputByte,
            grouping: groupBy.isEmpty ? nil : ExternalGrouping(fieldNames: groupBy))
    }
}
