/// One multi-file group: the step that runs it and the key its grouping rule gave the members.
public struct JobGroupID: Hashable, Sendable, Codable, CustomStringConvertible {
    public var step: String
    public var key: String

    public init(step: String, key: String) {
        self.step = step
        self.key = key
    }

    /// `asset/01345-062-…`, as logs and status show it.
    public var description: String { "\(step)/\(key)" }
}
