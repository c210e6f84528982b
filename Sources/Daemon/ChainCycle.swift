import Pipeline

/// Routes that would pass products round for ever: step B follows step A when B takes products, one of B's routes
/// takes A's product suffix, and that route shares an instrument and an exposure type with one of A's (products
/// keep their inputs' instrument and EXP_TYPE). External and built-in steps alike.
enum ChainCycle {
    /// A chain of step names that comes back to its start, or nil.
    static func find(in steps: [StepManifest], takers: Set<String>) -> [String]? {
        func follows(_ b: StepManifest, _ a: StepManifest) -> Bool {
            takers.contains(b.name)
                && b.routes.contains { next in
                    next.suffixes.contains(a.productSuffix)
                        && a.routes.contains {
                            !next.instruments.isDisjoint(with: $0.instruments) && !next.exposureTypes.isDisjoint(with: $0.exposureTypes)
                        }
                }
        }
        var finished: Set<String> = []
        func visit(_ step: StepManifest, path: [String]) -> [String]? {
            if let start = path.firstIndex(of: step.name) { return Array(path[start...]) + [step.name] }
            guard !finished.contains(step.name) else { return nil }
            for next in steps where follows(next, step) {
                if let found = visit(next, path: path + [step.name]) { return found }
            }
            finished.insert(step.name)
            return nil
        }
        for step in steps {
            if let found = visit(step, path: []) { return found }
        }
        return nil
    }
}
