import TOMLKit

extension ExternalStepDefinition {
    /// The keys an `[[external_steps]]` table may use, for error messages.
    static let keys = ["name", "summary", "command", "environment", "instruments", "exposure_types", "suffixes", "product_suffix",
                       "accept_products", "group_by", "timeout_seconds", "memory_per_input_byte", "status_keyword"]

    /// Reads the `[[external_steps]]` array of tables.
    static func parse(_ value: any TOMLValueConvertible, source: String) throws(ConfigurationError) -> [ExternalStepDefinition] {
        guard let array = value.array else { throw ConfigurationError("\(source): 'external_steps' must be [[external_steps]] tables") }
        var definitions: [ExternalStepDefinition] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else { throw ConfigurationError("\(source): external_steps[\(index)] must be a table") }
            definitions.append(try parse(table, source: "\(source): external_steps[\(index)]"))
        }
        return definitions
    }

    private static func parse(_ table: TOMLTable, source: String) throws(ConfigurationError) -> ExternalStepDefinition {
        for key in table.keys where !keys.contains(key) {
            throw ConfigurationError("\(source): unknown key '\(key)'; valid keys: \(keys.joined(separator: ", "))")
        }
        let reader = TableReader(table: table, source: source)
        func required<T>(_ key: String, _ value: T?) throws(ConfigurationError) -> T {
            guard let value else { throw ConfigurationError("\(source): '\(key)' is required") }
            return value
        }
        var definition = ExternalStepDefinition(
            name: try required("name", reader.string("name")),
            summary: try reader.string("summary") ?? "",
            command: try required("command", reader.strings("command")),
            instruments: Set(try required("instruments", reader.strings("instruments")).map { $0.uppercased() }),
            exposureTypes: Set(try required("exposure_types", reader.strings("exposure_types")).map { $0.uppercased() }),
            suffixes: Set(try required("suffixes", reader.strings("suffixes")).map { $0.lowercased() }),
            productSuffix: try required("product_suffix", reader.string("product_suffix")).lowercased())
        if let environment = table["environment"] {
            guard let variables = environment.table else { throw ConfigurationError("\(source): 'environment' must be a table of strings") }
            for name in variables.keys {
                guard let text = variables[name]?.string else { throw ConfigurationError("\(source): 'environment.\(name)' must be a string") }
                definition.environment[name] = text
            }
        }
        if let v = try reader.bool("accept_products") { definition.acceptProducts = v }
        if let v = try reader.strings("group_by") { definition.groupBy = v.map { $0.lowercased() } }
        if let v = try reader.number("timeout_seconds") { definition.timeoutSeconds = v }
        if let v = try reader.number("memory_per_input_byte") { definition.memoryPerInputByte = v }
        if let v = try reader.string("status_keyword") { definition.statusKeyword = v.uppercased() }
        return definition
    }
}
