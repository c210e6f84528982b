/// A Swift type a configuration setting decodes into: what a message calls it, and how it is read from the TOML
/// value (an integer is a number; a single string is a list of one).
protocol ConfigurationSetting {
    /// What a setting of this type must be, as a message says it ("a number", "one of keep, copy, move").
    static var expected: String { get }
    init?(setting: SettingValue)
}

extension String: ConfigurationSetting {
    static var expected: String { "a string" }
    init?(setting: SettingValue) {
        guard case .string(let text) = setting else { return nil }
        self = text
    }
}

extension Bool: ConfigurationSetting {
    static var expected: String { "true or false" }
    init?(setting: SettingValue) {
        guard case .boolean(let value) = setting else { return nil }
        self = value
    }
}

extension Int: ConfigurationSetting {
    static var expected: String { "an integer" }
    init?(setting: SettingValue) {
        guard case .integer(let value) = setting else { return nil }
        self = value
    }
}

extension Double: ConfigurationSetting {
    static var expected: String { "a number" }
    init?(setting: SettingValue) {
        switch setting {
        case .number(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

extension Array: ConfigurationSetting where Element == String {
    static var expected: String { "a list of strings" }
    init?(setting: SettingValue) {
        switch setting {
        case .string(let text): self = [text]
        case .array(let values):
            let texts = values.compactMap(String.init(setting:))
            guard texts.count == values.count else { return nil }
            self = texts
        default: return nil
        }
    }
}

extension Dictionary: ConfigurationSetting where Key == String, Value: ConfigurationSetting {
    static var expected: String { "a table whose values are each \(Value.expected)" }
    init?(setting: SettingValue) {
        guard case .table(let values) = setting else { return nil }
        let converted = values.compactMapValues(Value.init(setting:))
        guard converted.count == values.count else { return nil }
        self = converted
    }
}

extension SettingValue: ConfigurationSetting {
    static var expected: String { "a value" }
    init?(setting: SettingValue) { self = setting }
}

/// A setting that takes one of a few words (`failed_inputs`, `log_target`, `executor`).
protocol ConfigurationChoice: ConfigurationSetting, RawRepresentable, CaseIterable where RawValue == String {}

extension ConfigurationChoice {
    static var expected: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
    init?(setting: SettingValue) {
        guard case .string(let text) = setting else { return nil }
        self.init(rawValue: text)
    }
}
