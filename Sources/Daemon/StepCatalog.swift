import Pipeline

/// The steps a configuration makes available: its external steps and the built-in ones, and which of them take
/// products of others (chains).
public struct StepCatalog: Sendable {
    /// External steps first: a file goes to the first step with a matching route, so a configured program takes
    /// precedence over a built-in step for the same kind of file.
    public let registry: StepRegistry
    /// The steps that take other steps' products as inputs (chains).
    public let productTakers: Set<String>

    /// `workRoot` holds the folders external programs run in; `builtInProductTakers` names the built-in steps
    /// configured to take products too.
    public init(builtIn: StepRegistry, external: [ExternalStepDefinition], workRoot: String, builtInProductTakers: Set<String> = []) {
        let folders = ExternalWorkFolders(root: workRoot)
        let steps = external.map { ExternalStep(definition: $0, workFolders: folders) }
        registry = StepRegistry(steps + builtIn.all)
        productTakers = Set(external.filter(\.acceptProducts).map(\.name)).union(builtInProductTakers)
    }

    /// The steps of a configuration file for the one-shot commands (`process`, `steps`, `classify`); external
    /// programs run in folders under `workRoot`.
    public static func load(configuration path: String?, builtIn: StepRegistry, workRoot: String) throws(ConfigurationError) -> StepCatalog
    {
        let config = try path.map { file throws(ConfigurationError) in try DaemonConfiguration.load(path: file) } ?? DaemonConfiguration()
        try ExternalStepDefinition.validate(config.externalSteps)
        return StepCatalog(
            builtIn: builtIn, external: config.externalSteps, workRoot: workRoot, builtInProductTakers: config.builtInProductTakers)
    }
}
