/// An `[[external_steps]]` table; unknown keys and wrong types are refused with the key named, names of instruments,
/// exposure types and keywords upper-cased, suffixes and grouping fields lower-cased as the headers compare them.
extension ExternalStepDefinition: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, summary, command, environment, instruments
        case exposureTypes = "exposure_types"
        case suffixes
        case productSuffix = "product_suffix"
        case acceptProducts = "accept_products"
        case groupBy = "group_by"
        case timeoutSeconds = "timeout_seconds"
        case memoryPerInputByte = "memory_per_input_byte"
        case statusKeyword = "status_keyword"
    }

    public init(from decoder: any Decoder) throws {
        let table = try KeyedDecodingContainer<CodingKeys>.section(decoder)
        func words(_ key: CodingKeys) throws -> [String] { try table.required(key) }
        self.init(
            name: try table.required(.name),
            summary: try table.setting(.summary) ?? "",
            command: try table.required(.command),
            instruments: Set(try words(.instruments).map { $0.uppercased() }),
            exposureTypes: Set(try words(.exposureTypes).map { $0.uppercased() }),
            suffixes: Set(try words(.suffixes).map { $0.lowercased() }),
            productSuffix: (try table.required(.productSuffix) as String).lowercased())
        try table.update(&environment, .environment)
        try table.update(&acceptProducts, .acceptProducts)
        try table.update(&timeoutSeconds, .timeoutSeconds)
        try table.update(&memoryPerInputByte, .memoryPerInputByte)
        if let fields: [String] = try table.setting(.groupBy) { groupBy = fields.map { $0.lowercased() } }
        if let keyword: String = try table.setting(.statusKeyword) { statusKeyword = keyword.uppercased() }
    }
}
