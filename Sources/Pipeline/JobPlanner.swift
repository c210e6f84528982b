import FITS

/// One unit of work: a step and the files it runs on together.
public struct Job: Sendable, Equatable, Codable {
    public var step: String
    public var inputs: [String]
    /// The group key for multi-file steps; nil for single-file jobs.
    public var group: String?

    public init(step: String, inputs: [String], group: String? = nil) {
        self.step = step
        self.inputs = inputs
        self.group = group
    }
}

/// Turns classified files into jobs: one per file for single-file steps, one per runnable group for multi-file steps.
public struct JobPlanner: Sendable {
    public var router: Router

    public init(registry: StepRegistry) { self.router = Router(registry: registry) }

    /// The plan for a set of classified files: jobs to run, and the files that will not be processed (with why).
    public struct Plan: Sendable {
        public var jobs: [Job] = []
        public var skipped: [(path: String, reason: String)] = []
    }

    /// Plans `classifications`; `forcedStep` sends every readable file to that step whatever its routing says.
    /// Keyed groups gather the files of one key; each anchor's group gathers the candidates its rule matches to it.
    public func plan(_ classifications: [Classification], forcedStep: String? = nil) -> Plan {
        var plan = Plan()
        var groups: [JobGroupID: [Classification]] = [:]
        var groupOrder: [JobGroupID] = []
        var anchors: [(group: JobGroupID, traits: MatchTraits)] = []
        var candidates: [String: [(traits: MatchTraits, file: Classification)]] = [:]
        for c in classifications {
            switch router.decide(
                c, science: FITSStructure.survey(c.path, keepingHeaders: 2).headers.dropFirst().first, forcedStep: forcedStep)
            {
            case .job(let job): plan.jobs.append(job)
            case .skip(_, let reason): plan.skipped.append((c.path, reason))
            case .member(let membership):
                if case .candidate(let traits) = membership.role {
                    candidates[membership.step, default: []].append((traits, c))
                    continue
                }
                guard let group = membership.group else { continue }
                if case .anchor(_, let traits) = membership.role { anchors.append((group, traits)) }
                if groups[group] == nil { groupOrder.append(group) }
                groups[group, default: []].append(c)
            }
        }
        var matched = Set<String>()
        var reasons: [JobGroupID: String] = [:]
        for anchor in anchors {
            let pool = candidates[anchor.group.step] ?? []
            let members = pool.filter { router.joins($0.traits, anchor: anchor.traits, step: anchor.group.step) }.map(\.file)
            groups[anchor.group, default: []] += members
            matched.formUnion(members.map(\.path))
            if members.isEmpty {
                reasons[anchor.group] = router.unmatchedReason(of: anchor.traits, among: pool.map(\.traits), step: anchor.group.step)
            }
        }
        for group in groupOrder {
            let members = groups[group] ?? []
            if router.rule(of: group)?.isRunnable(members.compactMap(\.kind)) == true {
                plan.jobs.append(Job(step: group.step, inputs: members.map(\.path), group: group.key))
            } else {
                let why = reasons[group] ?? "it is not complete enough to run (\(members.count) file(s))"
                for m in members { plan.skipped.append((m.path, "group \(group) cannot run: \(why)")) }
            }
        }
        for (step, pool) in candidates {
            for candidate in pool where !matched.contains(candidate.file.path) {
                plan.skipped.append(
                    (
                        candidate.file.path,
                        "no \(step) group to join: it matches none of the \(anchors.filter { $0.group.step == step }.count) file(s) that open one"
                    ))
            }
        }
        return plan
    }
}
