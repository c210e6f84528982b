import Pipeline

/// A kind of simulated data (`nirspec-rate`, `nirspec-ifu-cal`…): its settings with defaults and ranges, and the
/// generator. Settings use the step parameter machinery, so `--set` is validated the same way everywhere.
public protocol SimulationRecipe: Sendable {
    /// The KIND argument of `webbflow simulate`.
    var name: String { get }
    var summary: String { get }
    var settings: [ParameterSpec] { get }
    /// Generates the files for `seed`; the same seed and settings give the same bytes.
    func generate(seed: UInt64, settings: ParameterValues) throws -> [SimulatedFile]
}

extension SimulationRecipe {
    /// Generates with defaults overridden by `KEY=VALUE` assignments.
    public func generate(seed: UInt64, assignments: [String] = []) throws -> [SimulatedFile] {
        try generate(seed: seed, settings: ParameterValues(specs: settings, assignments: assignments))
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
