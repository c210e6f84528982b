import FITS
import Foundation

/// A parameter value as given on the command line or in the config, typed by the parameter's declaration.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible, Codable {
    case integer(Int)
    case real(Double)
    case logical(Bool)
    case text(String)

    public var description: String {
        switch self {
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .logical(let b): String(b)
        case .text(let s): s
        }
    }

    /// The value as a FITS header value (for provenance keywords).
    public var headerValue: HeaderValueRepresentable {
        switch self {
        case .integer(let i): .integer(i)
        case .real(let d): .real(d)
        case .logical(let b): .logical(b)
        case .text(let s): .string(s)
        }
    }
}

/// Alias kept local so `ParameterValue` can be recorded without callers importing FITS.
public typealias HeaderValueRepresentable = FITS.HeaderValue

/// The declaration of one step parameter: its name, meaning, type (from the default) and accepted range.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var help: String
    public var defaultValue: ParameterValue
    /// Inclusive numeric bounds, when the parameter has them.
    public var range: ClosedRange<Double>?
    /// Accepted values for a text parameter, when it is a choice.
    public var choices: [String]?

    public init(
        _ name: String, default defaultValue: ParameterValue, help: String, range: ClosedRange<Double>? = nil,
        choices: [String]? = nil
    ) {
        self.name = name
        self.help = help
        self.defaultValue = defaultValue
        self.range = range
        self.choices = choices
    }

    /// The valid values in words (` [0.0…100.0]`, ` [gaussian, moffat]`), empty when any value of the type is.
    public var validity: String {
        if let range, case .integer = defaultValue { return " [\(Int(range.lowerBound))…\(Int(range.upperBound))]" }
        if let range { return " [\(range.lowerBound)…\(range.upperBound)]" }
        if let choices { return " [\(choices.joined(separator: ", "))]" }
        return ""
    }

    /// Parses `text` as this parameter's type, checking the range and choices.
    public func parse(_ text: String) throws(ParameterError) -> ParameterValue {
        let value: ParameterValue
        switch defaultValue {
        case .integer:
            guard let i = Int(text) else { throw ParameterError("\(name) takes an integer, not '\(text)'") }
            value = .integer(i)
        case .real:
            guard let d = Double(text), d.isFinite else { throw ParameterError("\(name) takes a number, not '\(text)'") }
            value = .real(d)
        case .logical:
            switch text.lowercased() {
            case "true", "yes", "1", "on", "t": value = .logical(true)
            case "false", "no", "0", "off", "f": value = .logical(false)
            default: throw ParameterError("\(name) takes true or false, not '\(text)'")
            }
        case .text:
            if let choices, !choices.contains(text) {
                throw ParameterError("\(name) must be one of \(choices.joined(separator: ", ")), not '\(text)'")
            }
            value = .text(text)
        }
        if let range {
            let number: Double? =
                switch value {
                case .integer(let i): Double(i)
                case .real(let d): d
                default: nil
                }
            if let number, !range.contains(number) {
                throw ParameterError("\(name) must lie in \(range.lowerBound)…\(range.upperBound), not \(text)")
            }
        }
        return value
    }
}

/// A parameter that could not be accepted; the message names it and says what is valid.
public struct ParameterError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The resolved parameters of one step run: every declared parameter has a value (its default unless set).
public struct ParameterValues: Sendable, Equatable {
    public private(set) var values: [String: ParameterValue]
    /// Declaration order, for stable provenance and help output.
    public let order: [String]

    /// Defaults of `specs`, overridden by `KEY=VALUE` assignments. Unknown keys are refused with the list of valid
    /// ones; `step` names the step they belong to in messages.
    public init(specs: [ParameterSpec], assignments: [String] = [], step: String? = nil) throws(ParameterError) {
        var values: [String: ParameterValue] = [:]
        for spec in specs { values[spec.name] = spec.defaultValue }
        for assignment in assignments {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw ParameterError("'\(assignment)' is not KEY=VALUE")
            }
            let key = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
            let text = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            guard let spec = specs.first(where: { $0.name == key }) else {
                let valid = specs.map(\.name).joined(separator: ", ")
                let owner = step.map { " of step \($0)" } ?? ""
                throw ParameterError("unknown parameter '\(key)'\(owner); valid: \(valid.isEmpty ? "(none)" : valid)")
            }
            values[key] = try spec.parse(text)
        }
        self.values = values
        self.order = specs.map(\.name)
    }

    public subscript(name: String) -> ParameterValue? { values[name] }

    /// (name, value) in declaration order.
    public var ordered: [(String, ParameterValue)] { order.compactMap { name in values[name].map { (name, $0) } } }
}
