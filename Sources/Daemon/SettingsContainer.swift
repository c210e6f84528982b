/// The reads every configuration section makes: its keys checked against the ones it knows, and each setting
/// converted with a message naming the key, the type expected and the value found. TOMLKit's own reads report a
/// value of the wrong type as a missing key and refuse an integer where a number is expected.
extension KeyedDecodingContainer where Key: CaseIterable & RawRepresentable, Key.RawValue == String {
    /// The section's container, after refusing any key it does not know (naming the valid ones).
    static func section(_ decoder: any Decoder) throws -> Self {
        guard let table = try? decoder.container(keyedBy: SettingKey.self) else {
            throw SettingError.at(decoder.codingPath, "must be a table, not \(try SettingValue(from: decoder))")
        }
        let valid = Key.allCases.map(\.rawValue)
        for key in table.allKeys.map(\.stringValue).sorted() where !valid.contains(key) {
            let section = SettingError.path(decoder.codingPath)
            let place = section.isEmpty ? "" : " in [\(section)]"
            throw SettingError("unknown key '\(key)'\(place); valid keys: \(valid.joined(separator: ", "))")
        }
        return try decoder.container(keyedBy: Key.self)
    }

    /// The setting at `key`, or nil when the file does not give it.
    func setting<T: ConfigurationSetting>(_ key: Key) throws -> T? {
        guard contains(key) else { return nil }
        let value = try decode(SettingValue.self, forKey: key)
        guard let setting = T(setting: value) else {
            throw SettingError.at(codingPath + [key], "must be \(T.expected), not \(value)")
        }
        return setting
    }

    /// Replaces `value` by the setting at `key` when the file gives it.
    func update<T: ConfigurationSetting>(_ value: inout T, _ key: Key) throws {
        if let setting: T = try setting(key) { value = setting }
    }

    /// The setting at `key`, which the section must give.
    func required<T: ConfigurationSetting>(_ key: Key) throws -> T {
        guard let setting: T = try setting(key) else { throw SettingError.at(codingPath + [key], "is required") }
        return setting
    }

    /// The array of tables at `key` (`[[external_steps]]`), each decoded as a section, or nil when the file has none.
    func sections<T: Decodable>(_ key: Key) throws -> [T]? {
        guard contains(key) else { return nil }
        let value = try decode(SettingValue.self, forKey: key)
        guard case .array = value else { throw SettingError.at(codingPath + [key], "must be [[\(key.rawValue)]] tables, not \(value)") }
        return try decode([T].self, forKey: key)
    }
}
