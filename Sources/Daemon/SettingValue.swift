/// A value of the configuration file exactly as TOML wrote it, so that a setting of the wrong type can be refused
/// with the value shown, and an integer can stand where a number is expected (TOMLKit's decoder does neither).
enum SettingValue: Decodable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case array([SettingValue])
    case table([String: SettingValue])

    init(from decoder: any Decoder) throws {
        if let table = try? decoder.container(keyedBy: SettingKey.self) {
            var values: [String: SettingValue] = [:]
            for key in table.allKeys { values[key.stringValue] = try table.decode(SettingValue.self, forKey: key) }
            self = .table(values)
        } else if var array = try? decoder.unkeyedContainer() {
            var values: [SettingValue] = []
            while !array.isAtEnd { values.append(try array.decode(SettingValue.self)) }
            self = .array(values)
        } else {
            let scalar = try decoder.singleValueContainer()
            if let value = try? scalar.decode(Bool.self) {
                self = .boolean(value)
            } else if let value = try? scalar.decode(Int.self) {
                self = .integer(value)
            } else if let value = try? scalar.decode(Double.self) {
                self = .number(value)
            } else if let value = try? scalar.decode(String.self) {
                self = .string(value)
            } else {
                throw SettingError.at(decoder.codingPath, "is a date or time, which no setting takes")
            }
        }
    }

    /// A scalar as the text of a `KEY=VALUE` step parameter assignment, which the step's manifest parses; nil for
    /// arrays and tables.
    var parameterText: String? {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .array, .table: nil
        }
    }

    /// The value as a message shows it: its TOML type and, for scalars, the value.
    var description: String {
        switch self {
        case .string(let text): "the string \"\(text)\""
        case .integer(let value): "the integer \(value)"
        case .number(let value): "the number \(value)"
        case .boolean(let value): "the boolean \(value)"
        case .array(let values): "an array of \(values.count)"
        case .table: "a table"
        }
    }
}

/// Any key of a TOML table, to see the keys a section's own coding keys do not know.
struct SettingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
