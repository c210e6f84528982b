/// Input the fusion step cannot use; the message names the file and the problem.
public struct FusionError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
