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

/// Turns classified files into jobs: one per file for single-file steps, one per complete group for multi-file steps.
public struct JobPlanner: Sendable {
    public var registry: StepRegistry

    public init(registry: StepRegistry) { self.registry = registry }

    /// The plan for a set of classified files: jobs to run, and the files that will not be processed (with why).
    public struct Plan: Sendable {
        public var jobs: [Job] = []
        public var skipped: [(path: String, reason: String)] = []
    }

    /// Plans `classifications`; `forcedStep` sends every readable file to that step whatever its routing says.
    public func plan(_ classifications: [Classification], forcedStep: String? = nil) -> Plan {
        var plan = Plan()
        var groups: [String: (step: String, members: [Classification])] = [:]
        var groupOrder: [String] = []
        for c in classifications {
            let stepName: String
            if let forcedStep, c.kind != nil, !isDamaged(c) {
                stepName = forcedStep
            } else if let routed = c.verdict.stepName {
                stepName = routed
            } else {
                plan.skipped.append((c.path, c.verdict.reason))
                continue
            }
            guard let step = registry.step(named: stepName), let kind = c.kind else {
                plan.skipped.append((c.path, "step '\(stepName)' is not registered"))
                continue
            }
            guard let rule = step.grouping else {
                plan.jobs.append(Job(step: stepName, inputs: [c.path]))
                continue
            }
            let science = try? FITSFile(path: c.path).header(at: 1)
            guard let key = rule.groupKey(for: kind, science: science) else {
                plan.skipped.append((c.path, "step '\(stepName)' cannot group this file with others"))
                continue
            }
            let id = "\(stepName)/\(key)"
            if groups[id] == nil { groupOrder.append(id) }
            groups[id, default: (stepName, [])].members.append(c)
        }
        for id in groupOrder {
            guard let (stepName, members) = groups[id], let rule = registry.step(named: stepName)?.grouping else { continue }
            let kinds = members.compactMap(\.kind)
            if rule.isRunnable(kinds) {
                let key = String(id.dropFirst(stepName.count + 1))
                plan.jobs.append(Job(step: stepName, inputs: members.map(\.path), group: key))
            } else {
                for m in members { plan.skipped.append((m.path, "group \(id) is not complete enough to run (\(members.count) file(s))")) }
            }
        }
        return plan
    }

    private func isDamaged(_ c: Classification) -> Bool {
        if case .skip(.damaged, _) = c.verdict { return true }
        return false
    }
}
