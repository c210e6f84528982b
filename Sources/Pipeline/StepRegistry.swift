/// The steps this build knows, in registration order. Only the executable registers the built-in plugins; the
/// classifier, the router, the daemon and the configuration check know steps only through here.
public struct StepRegistry: Sendable {
    /// Registered steps, in the order they were registered (routing takes the first match).
    public private(set) var all: [any Step] = []

    public init(_ steps: [any Step] = []) {
        for step in steps { register(step) }
    }

    /// Adds `step`; a step registered under a name already taken replaces the earlier one.
    public mutating func register(_ step: any Step) {
        all.removeAll { $0.manifest.name == step.manifest.name }
        all.append(step)
    }

    public func step(named name: String) -> (any Step)? { all.first { $0.manifest.name == name } }

    /// The step the routing sends `kind` to: the first whose manifest has a matching route.
    public func step(routing kind: ExposureKind) -> (any Step)? {
        all.first { step in step.manifest.routes.contains { $0.matches(kind) } }
    }

    /// The names of the registered steps, sorted, for messages that list the valid ones.
    public var names: [String] { all.map(\.manifest.name).sorted() }

    /// The suffixes of the products the registered steps write.
    public var productSuffixes: Set<String> { Set(all.map(\.manifest.productSuffix)) }
}
