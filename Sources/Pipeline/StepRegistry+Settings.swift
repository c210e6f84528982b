extension StepRegistry {
    /// Checks per-step parameter assignments (`[steps.NAME]` tables, `KEY=VALUE` each) against the manifests: an
    /// unknown step, an unknown parameter or a value of the wrong type or out of range is refused with the valid ones.
    public func validate(settings: [String: [String]]) throws(ParameterError) {
        for (name, assignments) in settings.sorted(by: { $0.key < $1.key }) {
            guard let step = step(named: name) else {
                throw ParameterError("unknown step '\(name)'; valid steps: \(names.isEmpty ? "(none)" : names.joined(separator: ", "))")
            }
            _ = try step.manifest.values(assignments)
        }
    }
}
