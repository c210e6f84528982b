import Pipeline

/// The steps a configuration makes available: the built-in ones and its external steps, with the routing that
/// sends downloads to them and the routing that sends products on to a further step (chains).
public struct StepCatalog: Sendable {
    public let registry: StepRegistry
    /// Downloads: the external steps' routes first (a configured program takes precedence), then the built-in table.
    public let routing: RoutingTable
    /// Products: only the routes of steps that accept products.
    public let productRouting: RoutingTable

    /// `workRoot` holds the folders external programs run in.
    public init(builtIn: StepRegistry, routing: RoutingTable = .standard, external: [ExternalStepDefinition], workRoot: String) {
        var registry = builtIn
        let folders = ExternalWorkFolders(root: workRoot)
        for definition in external { registry.register(ExternalStep(definition: definition, workFolders: folders)) }
        self.registry = registry
        self.routing = RoutingTable(rules: external.map(\.rule) + routing.rules)
        productRouting = RoutingTable(rules: external.filter(\.acceptProducts).map(\.rule))
    }

    /// The steps of a configuration file for the one-shot commands (`process`, `steps`, `classify`); external
    /// programs run in folders under `workRoot`.
    public static func load(configuration path: String?, builtIn: StepRegistry, workRoot: String) throws(ConfigurationError) -> StepCatalog {
        let definitions = try path.map { file throws(ConfigurationError) in try DaemonConfiguration.load(path: file).externalSteps } ?? []
        try ExternalStepDefinition.validate(definitions)
        return StepCatalog(builtIn: builtIn, external: definitions, workRoot: workRoot)
    }
}
