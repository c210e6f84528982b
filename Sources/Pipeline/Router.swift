import FITS

/// What becomes of one classified file: a job of its own, a place in a multi-file group, or nothing, for a reason.
public enum RoutingDecision: Sendable, Equatable {
    case job(Job)
    case member(of: GroupMembership)
    case skip(SkipReason, String)
}

/// Turns a classification into a decision: the one place where routing and grouping are decided, for
/// `webbflow process` and the daemon alike.
public struct Router: Sendable {
    public var registry: StepRegistry

    public init(registry: StepRegistry) { self.registry = registry }

    /// Decides on `classification`. `science` (the first extension's header) is read only when a grouping rule
    /// needs it; `forcedStep` sends every readable file to that step whatever its routing says.
    public func decide(_ classification: Classification, science: @autoclosure () -> Header?, forcedStep: String? = nil) -> RoutingDecision
    {
        let stepName: String
        switch classification.verdict {
        case .skip(.damaged, let detail): return .skip(.damaged, detail)
        case _ where forcedStep != nil && classification.kind != nil: stepName = forcedStep ?? ""
        case .route(let routed): stepName = routed
        case .skip(let reason, let detail): return .skip(reason, detail)
        }
        guard let step = registry.step(named: stepName), let kind = classification.kind else {
            return .skip(.noStepRegistered, "step '\(stepName)' is not registered; registered: \(registry.names.joined(separator: ", "))")
        }
        guard let rule = step.manifest.grouping else { return .job(Job(step: stepName, inputs: [classification.path])) }
        let scienceHeader = science()
        guard let role = rule.membership(for: kind, science: scienceHeader) else {
            let reason = rule.refusal(for: kind, science: scienceHeader).map { ": \($0)" } ?? ""
            return .skip(.unsupportedMode, "step \(stepName) cannot group this file with others\(reason)")
        }
        return .member(of: GroupMembership(step: stepName, role: role.naming(classification.name.fileName)))
    }

    /// True when `candidate` joins the group of `anchor`, both members of `step`'s groups.
    public func joins(_ candidate: MatchTraits, anchor: MatchTraits, step: String) -> Bool {
        guard let rule = registry.step(named: step)?.manifest.grouping else { return false }
        return rule.mismatch(candidate, anchor: anchor) == nil
    }

    /// Why no candidate joined the group of `anchor`: each candidate's reason, or that none has arrived.
    public func unmatchedReason(of anchor: MatchTraits, among candidates: [MatchTraits], step: String) -> String {
        guard let rule = registry.step(named: step)?.manifest.grouping else { return "step \(step) is not registered" }
        let refusals = candidates.compactMap { candidate in rule.mismatch(candidate, anchor: anchor).map { "\(candidate.file): \($0)" } }
        return refusals.isEmpty ? "no file it pairs with has arrived" : "no file pairs with it (\(refusals.joined(separator: "; ")))"
    }

    /// The rule that says when `group` is complete or runnable; nil when its step is no longer registered.
    public func rule(of group: JobGroupID) -> (any GroupingRule)? { registry.step(named: group.step)?.manifest.grouping }
}
