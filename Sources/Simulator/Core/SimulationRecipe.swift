import Pipeline

/// A kind of simulated data (`nirspec-rate`, `nirspec-ifu-cal`…): its typed settings and the generator. Settings
/// are declared once, in the recipe's `Settings` type, with defaults, help and valid ranges (the steps' options
/// machinery), so `--set` is validated and `simulate KIND --help` lists them the same way everywhere.
public protocol SimulationRecipe: Sendable {
    associatedtype Settings: StepOptions
    /// The KIND argument of `webbflow simulate`.
    var name: String { get }
    var summary: String { get }
    /// Generates the files for `seed`; the same seed and settings give the same bytes.
    func generate(seed: UInt64, settings: Settings) throws -> [SimulatedFile]
}

extension SimulationRecipe {
    /// The settings `--set` accepts, as `Settings` declares them.
    public var settings: [ParameterSpec] { Settings.parameters }

    /// Generates with the defaults overridden by `KEY=VALUE` assignments, each checked against its declaration.
    public func generate(seed: UInt64, assignments: [String] = []) throws -> [SimulatedFile] {
        try generate(seed: seed, settings: Settings(ParameterValues(specs: settings, assignments: assignments)))
    }
}

/// All simulation kinds, by name.
public enum SimulationCatalog {
    public static let recipes: [any SimulationRecipe] = [
        ProgramRecipe(),
        NIRSpecRateRecipe(),
        NIRSpecIFUCalRecipe(),
        MIRIMRSCalRecipe(),
        NIRSpecFixedSlitRecipe(),
        NIRSpecMOSRecipe(),
        MIRILRSRecipe(),
        FusionPairRecipe(),
    ]

    public static func recipe(named name: String) -> (any SimulationRecipe)? { recipes.first { $0.name == name } }
}
