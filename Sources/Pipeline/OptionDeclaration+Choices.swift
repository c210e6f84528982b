extension OptionDeclaration {
    /// Text restricted to `choices`: names that are data rather than an enum (subarrays, slits, gratings).
    public static func text(
        _ name: String, _ property: WritableKeyPath<Options, String> & Sendable, help: String,
        choices: [String]
    ) -> Self {
        Self(
            name: name, spec: { ParameterSpec(name, default: .text($0[keyPath: property]), help: help, choices: choices) },
            assign: { options, value in if case .text(let s) = value { options[keyPath: property] = s } })
    }
}
