/// The steps this build knows, by name. Only the executable registers the built-in plugins;
/// the daemon and the router know steps only through here.
public struct StepRegistry: Sendable {
    public private(set) var steps: [String: any Step] = [:]

    public init(_ steps: [any Step] = []) {
        for step in steps { register(step) }
    }

    public mutating func register(_ step: any Step) { steps[step.info.name] = step }

    public func step(named name: String) -> (any Step)? { steps[name] }

    /// Registered steps sorted by name.
    public var all: [any Step] { steps.keys.sorted().compactMap { steps[$0] } }
}
