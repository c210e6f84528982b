import FITS

/// How a multi-file step gathers its inputs: which groups a file joins and when a group is ready to run.
///
/// A rule groups either by key (files with the same key form one group: the dithers of one observation) or by
/// matching (an anchor file opens a group of its own and every candidate the rule matches to it joins it: the
/// NIRCam images overlapping one NIRSpec cube, whatever their program). A keyed rule implements `groupKey`; a
/// matching rule implements `membership` and `mismatch`.
public protocol GroupingRule: Sendable {
    /// The group this exposure belongs to (for instance "01345-062-S200A1-G235H"), or nil to refuse it.
    func groupKey(for kind: ExposureKind, science: Header?) -> String?
    /// How this exposure joins groups, or nil to refuse it. `science` is the first extension's header.
    func membership(for kind: ExposureKind, science: Header?) -> GroupMembership.Role?
    /// Why `membership` refuses this exposure, in words for `process` and `status`; nil for the general message.
    func refusal(for kind: ExposureKind, science: Header?) -> String?
    /// Why `candidate` does not join the group of `anchor`, or nil when it does.
    func mismatch(_ candidate: MatchTraits, anchor: MatchTraits) -> String?
    /// True when the members are enough to run now; otherwise the group fires after its quiet time.
    func isComplete(_ members: [ExposureKind]) -> Bool
    /// True when the members are enough to run at all (for example, a cube and at least one image).
    func isRunnable(_ members: [ExposureKind]) -> Bool
}

extension GroupingRule {
    public func groupKey(for kind: ExposureKind, science: Header?) -> String? { nil }

    public func membership(for kind: ExposureKind, science: Header?) -> GroupMembership.Role? {
        groupKey(for: kind, science: science).map(GroupMembership.Role.keyed)
    }

    public func refusal(for kind: ExposureKind, science: Header?) -> String? { nil }

    public func mismatch(_ candidate: MatchTraits, anchor: MatchTraits) -> String? { "the step's rule groups by key, not by matching" }
}
