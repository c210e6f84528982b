extension ExternalStepDefinition {
    /// Refuses definitions that cannot run. (Routes that would feed products round in a cycle are refused with the
    /// built-in steps, by `DaemonConfiguration.validate(steps:)`.)
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
    }
}
