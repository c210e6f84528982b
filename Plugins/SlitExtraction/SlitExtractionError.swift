/// Why a set of slit exposures cannot be extracted; the message names the file(s) and the problem.
public struct SlitExtractionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
