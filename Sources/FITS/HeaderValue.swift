/// The value of one header keyword, typed the way FITS writes it.
public enum HeaderValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case real(Double)
    case logical(Bool)

    /// The value as a string, or nil when it is not a string.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The value as an integer; reals that are whole numbers convert.
    public var integer: Int? {
        switch self {
        case .integer(let i): i
        case .real(let d) where d.rounded() == d && abs(d) < 9.0e18: Int(d)
        default: nil
        }
    }
    /// The value as a real number; integers convert.
    public var real: Double? {
        switch self {
        case .real(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
    /// The value as a logical, or nil when it is not T/F.
    public var logical: Bool? { if case .logical(let b) = self { b } else { nil } }

    public var description: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .logical(let b): b ? "T" : "F"
        }
    }
}

extension HeaderValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(booleanLiteral value: Bool) { self = .logical(value) }
}
