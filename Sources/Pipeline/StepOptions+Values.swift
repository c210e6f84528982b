extension StepOptions {
    /// Each option's name and value in these options, in declaration order (for truth headers and provenance).
    public var values: [(name: String, value: ParameterValue)] {
        Self.declarations.map { ($0.name, $0.spec(self).defaultValue) }
    }
}
