import Foundation
import TOMLKit

extension DaemonConfiguration {
    /// The keys a configuration file may use, for error messages.
    static let keys = ["inboxes", "outbox", "failed", "state_directory", "settle_seconds", "group_settle_seconds", "workers", "memory_budget_mb",
                       "max_uncompressed_mb", "max_attempts", "retry_backoff_seconds", "rescan_interval_seconds", "failed_inputs", "log_level",
                       "log_target", "pictures", "steps", "external_steps", "executor", "slurm"]

    /// Reads a TOML configuration file; unknown keys and wrong types are refused with the key named.
    public static func load(path: String) throws(ConfigurationError) -> DaemonConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError("cannot read config \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses TOML text (`source` names it in messages).
    public static func parse(_ text: String, source: String = "config") throws(ConfigurationError) -> DaemonConfiguration {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ConfigurationError("\(source): line \(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationError("\(source): \(error)")
        }
        var config = DaemonConfiguration()
        let reader = TableReader(table: table, source: source)
        for key in table.keys where !keys.contains(key) {
            throw ConfigurationError("\(source): unknown key '\(key)'; valid keys: \(keys.joined(separator: ", "))")
        }
        if let inboxes = try reader.strings("inboxes") { config.inboxes = inboxes }
        if let v = try reader.string("outbox") { config.outbox = v }
        if let v = try reader.string("failed") { config.failed = v }
        if let v = try reader.string("state_directory") { config.stateDirectory = v }
        if let v = try reader.number("settle_seconds") { config.settleSeconds = v }
        if let v = try reader.number("group_settle_seconds") { config.groupSettleSeconds = v }
        if let v = try reader.integer("workers") { config.workers = v }
        if let v = try reader.integer("memory_budget_mb") { config.memoryBudgetMB = v }
        if let v = try reader.integer("max_uncompressed_mb") { config.maxUncompressedMB = v }
        if let v = try reader.integer("max_attempts") { config.maxAttempts = v }
        if let v = try reader.number("retry_backoff_seconds") { config.retryBackoffSeconds = v }
        if let v = try reader.number("rescan_interval_seconds") { config.rescanIntervalSeconds = v }
        if let v = try reader.choice("failed_inputs", FailedInputPolicy.self) { config.failedInputs = v }
        if let v = try reader.string("log_level") { config.logLevel = v }
        if let v = try reader.choice("log_target", LogTarget.self) { config.logTarget = v }
        if let external = table["external_steps"] { config.externalSteps = try ExternalStepDefinition.parse(external, source: source) }
        if let v = try reader.bool("pictures") { config.pictures = v }
        if let v = try reader.choice("executor", Executor.self) { config.executor = v }
        if let slurm = table["slurm"] {
            guard let slurm = slurm.table else { throw ConfigurationError("\(source): 'slurm' must be a table") }
            config.slurm = try SlurmSettings.parse(slurm, source: source)
        }
        if let steps = table["steps"] {
            guard let steps = steps.table else { throw ConfigurationError("\(source): 'steps' must be a table of [steps.NAME] tables") }
            for name in steps.keys {
                guard let parameters = steps[name]?.table else { throw ConfigurationError("\(source): [steps.\(name)] must be a table") }
                config.stepParameters[name] = try parameters.keys.sorted().map { key throws(ConfigurationError) in
                    guard let value = parameters[key] else { return "\(key)=" }
                    return "\(key)=\(try TableReader.text(of: value, key: "steps.\(name).\(key)", source: source))"
                }
            }
        }
        return config
    }
}

/// Typed reads from a TOML table with messages that name the key and the type expected.
struct TableReader {
    let table: TOMLTable
    let source: String

    func wrong(_ key: String, _ expected: String) -> ConfigurationError {
        ConfigurationError("\(source): '\(key)' must be \(expected)")
    }

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw wrong(key, "a string") }
        return s
    }

    func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = table[key] else { return nil }
        if let s = value.string { return [s] }
        guard let array = value.array else { throw wrong(key, "a list of strings") }
        var result: [String] = []
        for element in array {
            guard let s = element.string else { throw wrong(key, "a list of strings") }
            result.append(s)
        }
        return result
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let b = value.bool else { throw wrong(key, "true or false") }
        return b
    }

    func number(_ key: String) throws(ConfigurationError) -> Double? {
        guard let value = table[key] else { return nil }
        if let d = value.double { return d }
        guard let i = value.int else { throw wrong(key, "a number") }
        return Double(i)
    }

    func integer(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let i = value.int else { throw wrong(key, "an integer") }
        return i
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(ConfigurationError) -> T?
    where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw wrong(key, "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// A scalar step parameter as the `KEY=VALUE` text the step machinery parses.
    static func text(of value: any TOMLValueConvertible, key: String, source: String) throws(ConfigurationError) -> String {
        if let s = value.string { return s }
        if let b = value.bool { return b ? "true" : "false" }
        if let i = value.int { return String(i) }
        if let d = value.double { return String(d) }
        throw ConfigurationError("\(source): '\(key)' must be a string, number or boolean")
    }
}
