/// A definition encoded with the keys of its `[[external_steps]]` table, so that the table's own decoder reads it back:
/// how a Slurm job description carries the step to the compute node.
extension ExternalStepDefinition: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var table = encoder.container(keyedBy: CodingKeys.self)
        try table.encode(name, forKey: .name)
        try table.encode(summary, forKey: .summary)
        try table.encode(command, forKey: .command)
        try table.encode(environment, forKey: .environment)
        try table.encode(instruments.sorted(), forKey: .instruments)
        try table.encode(exposureTypes.sorted(), forKey: .exposureTypes)
        try table.encode(suffixes.sorted(), forKey: .suffixes)
        try table.encode(productSuffix, forKey: .productSuffix)
        try table.encode(acceptProducts, forKey: .acceptProducts)
        try table.encode(groupBy, forKey: .groupBy)
        try table.encode(timeoutSeconds, forKey: .timeoutSeconds)
        try table.encode(memoryPerInputByte, forKey: .memoryPerInputByte)
        try table.encode(statusKeyword, forKey: .statusKeyword)
    }
}
