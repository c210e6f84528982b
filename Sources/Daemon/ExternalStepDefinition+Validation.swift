extension ExternalStepDefinition {
    /// Refuses definitions that cannot run, and routes that would feed products round in a cycle for ever.
    static func validate(_ definitions: [ExternalStepDefinition]) throws(ConfigurationError) {
        var names: Set<String> = []
        for definition in definitions {
            let name = definition.name
            guard name.wholeMatch(of: /[a-z0-9][a-z0-9_\-]*/) != nil else {
                throw ConfigurationError("external step '\(name)': a name is lower-case letters, digits, '-' and '_'")
            }
            guard names.insert(name).inserted else { throw ConfigurationError("external step '\(name)' is defined twice") }
            if definition.command.isEmpty { throw ConfigurationError("external step '\(name)': 'command' is empty") }
            if definition.timeoutSeconds <= 0 { throw ConfigurationError("external step '\(name)': 'timeout_seconds' must be positive") }
            if definition.memoryPerInputByte < 0 {
                throw ConfigurationError("external step '\(name)': 'memory_per_input_byte' must not be negative")
            }
            if definition.productSuffix.isEmpty { throw ConfigurationError("external step '\(name)': 'product_suffix' is empty") }
            for field in definition.groupBy where ExternalGrouping.fields[field] == nil {
                let known = ExternalGrouping.fields.keys.sorted().joined(separator: ", ")
                throw ConfigurationError("external step '\(name)': cannot group by '\(field)'; fields: \(known)")
            }
        }
        if let cycle = cycle(in: definitions) {
            throw ConfigurationError(
                """
                external steps form a cycle: \(cycle.joined(separator: " → ")): each accepts the products of the one before \
                (accept_products with its product suffix), so a product would be processed for ever; break the cycle
                """)
        }
    }

    /// A chain of step names that comes back to its start, or nil. Step B follows step A when B accepts products,
    /// takes A's product suffix, and shares an instrument and an exposure type with A's route (products keep their
    /// inputs' instrument and EXP_TYPE). Built-in steps never take products, so a cycle runs through external ones only.
    static func cycle(in definitions: [ExternalStepDefinition]) -> [String]? {
        func follows(_ b: ExternalStepDefinition, _ a: ExternalStepDefinition) -> Bool {
            b.acceptProducts && b.suffixes.contains(a.productSuffix) && !b.instruments.isDisjoint(with: a.instruments)
                && !b.exposureTypes.isDisjoint(with: a.exposureTypes)
        }
        var finished: Set<String> = []
        func visit(_ step: ExternalStepDefinition, path: [String]) -> [String]? {
            if let start = path.firstIndex(of: step.name) { return Array(path[start...]) + [step.name] }
            guard !finished.contains(step.name) else { return nil }
            for next in definitions where follows(next, step) {
                if let found = visit(next, path: path + [step.name]) { return found }
            }
            finished.insert(step.name)
            return nil
        }
        for definition in definitions {
            if let found = visit(definition, path: []) { return found }
        }
        return nil
    }
}
