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
    public func plan(_ classifications: [Classification], forcedStep: String? = nil) -> Plan {
        var plan = Plan()
        var groups: [GroupID: [Classification]] = [:]
        var groupOrder: [GroupID] = []
        for c in classifications {
            switch router.decide(c, science: FITSStructure.survey(c.path, keepingHeaders: 2).headers.dropFirst().first, forcedStep: forcedStep) {
            case .job(let job): plan.jobs.append(job)
            case .skip(_, let reason): plan.skipped.append((c.path, reason))
            case .member(let group):
                if groups[group] == nil { groupOrder.append(group) }
                groups[group, default: []].append(c)
            }
        }
        for group in groupOrder {
            let members = groups[group] ?? []
            if router.rule(of: group)?.isRunnable(members.compactMap(\.kind)) == true {
                plan.jobs.append(Job(step: group.step, inputs: members.map(\.path), group: group.key))
            } else {
                for m in members { plan.skipped.append((m.path, "group \(group) is not complete enough to run (\(members.count) file(s))")) }
            }
        }
        return plan
    }
}
