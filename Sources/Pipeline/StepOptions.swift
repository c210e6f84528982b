/// A step's options as a typed struct: its stored properties carry the defaults, and `declarations` names each
/// one for the command line and the config, with its help and valid range (as swift-argument-parser's
/// declarations or jwst's step `spec` do). The manifest's parameters and the values a step reads both come from it.
public protocol StepOptions: Sendable {
    /// The defaults.
    init()
    /// Every option, in the order help and provenance list them.
    static var declarations: [OptionDeclaration<Self>] { get }
}

extension StepOptions {
    /// The parameters these options declare, with the defaults of `init()`.
    public static var parameters: [ParameterSpec] {
        let defaults = Self()
        return declarations.map { $0.spec(defaults) }
    }

    /// The defaults with the values given in `values` (resolved from this type's own `parameters`).
    public init(_ values: ParameterValues) {
        self.init()
        for declaration in Self.declarations {
            if let value = values[declaration.name] { declaration.assign(&self, value) }
        }
    }
}

/// One option of a `StepOptions` struct: the parameter's name, help and valid values, tied to the property holding it.
public struct OptionDeclaration<Options>: Sendable {
    public let name: String
    let spec: @Sendable (Options) -> ParameterSpec
    let assign: @Sendable (inout Options, ParameterValue) -> Void

    /// A real number, optionally bounded (inclusive).
    public static func number(
        _ name: String, _ property: WritableKeyPath<Options, Double> & Sendable, help: String,
        range: ClosedRange<Double>? = nil
    ) -> Self {
        Self(
            name: name, spec: { ParameterSpec(name, default: .real($0[keyPath: property]), help: help, range: range) },
            assign: { options, value in
                switch value {
                case .real(let d): options[keyPath: property] = d
                case .integer(let i): options[keyPath: property] = Double(i)
                default: break
                }
            })
    }

    /// An integer, optionally bounded (inclusive).
    public static func integer(
        _ name: String, _ property: WritableKeyPath<Options, Int> & Sendable, help: String,
        range: ClosedRange<Int>? = nil
    ) -> Self {
        Self(
            name: name,
            spec: {
                ParameterSpec(
                    name, default: .integer($0[keyPath: property]), help: help,
                    range: range.map { Double($0.lowerBound)...Double($0.upperBound) })
            },
            assign: { options, value in if case .integer(let i) = value { options[keyPath: property] = i } })
    }

    /// A yes/no switch.
    public static func flag(_ name: String, _ property: WritableKeyPath<Options, Bool> & Sendable, help: String) -> Self {
        Self(
            name: name, spec: { ParameterSpec(name, default: .logical($0[keyPath: property]), help: help) },
            assign: { options, value in if case .logical(let b) = value { options[keyPath: property] = b } })
    }

    /// Free text (a path, a filter name); empty usually means "not given".
    public static func text(_ name: String, _ property: WritableKeyPath<Options, String> & Sendable, help: String) -> Self {
        Self(
            name: name, spec: { ParameterSpec(name, default: .text($0[keyPath: property]), help: help) },
            assign: { options, value in if case .text(let s) = value { options[keyPath: property] = s } })
    }

    /// One of the cases of `Choice`, named by their raw values.
    public static func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ property: WritableKeyPath<Options, Choice> & Sendable, help: String
    ) -> Self where Choice.RawValue == String {
        Self(
            name: name,
            spec: {
                ParameterSpec(
                    name, default: .text($0[keyPath: property].rawValue), help: help,
                    choices: Choice.allCases.map(\.rawValue))
            },
            assign: { options, value in
                if case .text(let s) = value, let choice = Choice(rawValue: s) { options[keyPath: property] = choice }
            })
    }
}
