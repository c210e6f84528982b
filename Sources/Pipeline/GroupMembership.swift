/// How one file takes part in a multi-file step's groups, as the step's grouping rule decides.
public struct GroupMembership: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The three ways of joining.
    public enum Role: Sendable, Equatable, Codable {
        /// A member of the group of this key: files with the same key form one group.
        case keyed(String)
        /// Opens the group of this key around itself; the candidates the rule matches to it join that group.
        case anchor(key: String, traits: MatchTraits)
        /// Joins the group of every anchor the rule matches it to, including anchors that arrive later.
        case candidate(MatchTraits)

        /// The same role with `file` named in its traits.
        func naming(_ file: String) -> Role {
            switch self {
            case .keyed: return self
            case .anchor(let key, var traits):
                traits.file = file
                return .anchor(key: key, traits: traits)
            case .candidate(var traits):
                traits.file = file
                return .candidate(traits)
            }
        }
    }

    public var step: String
    public var role: Role

    public init(step: String, role: Role) {
        self.step = step
        self.role = role
    }

    /// The group the file opens or joins by key; nil for a candidate, whose groups depend on the anchors.
    public var group: JobGroupID? {
        switch role {
        case .keyed(let key), .anchor(let key, _): JobGroupID(step: step, key: key)
        case .candidate: nil
        }
    }

    /// `asset/01345-062-…`, or what a candidate waits for, as logs and status show it.
    public var description: String {
        group?.description ?? "\(step)/* (every group it matches)"
    }
}
