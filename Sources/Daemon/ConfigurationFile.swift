import Foundation
import TOMLKit

/// The configuration file decoded: TOMLKit parses and walks the tables, the sections read their settings through
/// the checks of `SettingsContainer`.
extension DaemonConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case inboxes, outbox, failed
        case stateDirectory = "state_directory"
        case settleSeconds = "settle_seconds"
        case groupSettleSeconds = "group_settle_seconds"
        case workers
        case memoryBudgetMB = "memory_budget_mb"
        case maxUncompressedMB = "max_uncompressed_mb"
        case maxAttempts = "max_attempts"
        case retryBackoffSeconds = "retry_backoff_seconds"
        case rescanIntervalSeconds = "rescan_interval_seconds"
        case failedInputs = "failed_inputs"
        case logLevel = "log_level"
        case logTarget = "log_target"
        case pictures
        case stepParameters = "steps"
        case externalSteps = "external_steps"
        case executor, slurm
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let file = try KeyedDecodingContainer<CodingKeys>.section(decoder)
        try file.update(&inboxes, .inboxes)
        try file.update(&outbox, .outbox)
        try file.update(&failed, .failed)
        try file.update(&stateDirectory, .stateDirectory)
        try file.update(&settleSeconds, .settleSeconds)
        try file.update(&groupSettleSeconds, .groupSettleSeconds)
        try file.update(&workers, .workers)
        try file.update(&memoryBudgetMB, .memoryBudgetMB)
        try file.update(&maxUncompressedMB, .maxUncompressedMB)
        try file.update(&maxAttempts, .maxAttempts)
        try file.update(&retryBackoffSeconds, .retryBackoffSeconds)
        try file.update(&rescanIntervalSeconds, .rescanIntervalSeconds)
        try file.update(&failedInputs, .failedInputs)
        try file.update(&logLevel, .logLevel)
        try file.update(&logTarget, .logTarget)
        try file.update(&pictures, .pictures)
        try file.update(&executor, .executor)
        if let steps: [String: SettingValue] = try file.setting(.stepParameters) {
            stepParameters = try Self.assignments(steps)
            builtInProductTakers = try Self.productTakers(steps)
        }
        if let external: [ExternalStepDefinition] = try file.sections(.externalSteps) { externalSteps = external }
        if file.contains(.slurm) { slurm = try file.decode(SlurmSettings.self, forKey: .slurm) }
    }

    /// The key of a `[steps.NAME]` table that is not a step parameter: whether the step takes other steps' products.
    static let acceptProductsKey = "accept_products"

    /// `[steps.NAME]` tables as the `KEY=VALUE` assignments the step manifests check (`StepRegistry.validate`).
    private static func assignments(_ steps: [String: SettingValue]) throws -> [String: [String]] {
        try steps.reduce(into: [:]) { assignments, step in
            guard case .table(let parameters) = step.value else {
                throw SettingError("'steps.\(step.key)' must be a [steps.\(step.key)] table, not \(step.value)")
            }
            assignments[step.key] = try parameters.filter { $0.key != acceptProductsKey }.sorted { $0.key < $1.key }.map { key, value in
                guard let text = value.parameterText else {
                    throw SettingError("'steps.\(step.key).\(key)' must be a string, number or boolean, not \(value)")
                }
                return "\(key)=\(text)"
            }
        }
    }

    /// The steps whose `[steps.NAME]` table says `accept_products = true`.
    private static func productTakers(_ steps: [String: SettingValue]) throws -> Set<String> {
        var takers: Set<String> = []
        for (name, table) in steps {
            guard case .table(let parameters) = table, let value = parameters[acceptProductsKey] else { continue }
            guard case .boolean(let accepts) = value else {
                throw SettingError("'steps.\(name).\(acceptProductsKey)' must be true or false, not \(value)")
            }
            if accepts { takers.insert(name) }
        }
        return takers
    }

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
        do { return try TOMLDecoder().decode(DaemonConfiguration.self, from: table) } catch {
            throw ConfigurationError("\(source): \(error)")
        }
    }
}
