/// Which kinds of exposure go to which step: DESIGN.md's routing table as data.
public struct RoutingRule: Sendable, Equatable {
    /// The step that processes matching exposures.
    public var step: String
    public var instruments: Set<String>
    public var exposureTypes: Set<String>
    public var suffixes: Set<String>

    public init(step: String, instruments: Set<String>, exposureTypes: Set<String>, suffixes: Set<String>) {
        self.step = step
        self.instruments = instruments
        self.exposureTypes = exposureTypes
        self.suffixes = suffixes
    }

    public func matches(_ kind: ExposureKind) -> Bool {
        instruments.contains(kind.instrument) && exposureTypes.contains(kind.exposureType) && suffixes.contains(kind.suffix)
    }
}

/// The ordered list of routing rules; the first match wins.
public struct RoutingTable: Sendable {
    public var rules: [RoutingRule]

    public init(rules: [RoutingRule]) { self.rules = rules }

    /// The routing of DESIGN.md.
    public static let standard = RoutingTable(rules: [
        RoutingRule(step: "nsclean", instruments: ["NIRSPEC"],
                    exposureTypes: ["NRS_IFU", "NRS_FIXEDSLIT", "NRS_MSASPEC", "NRS_BRIGHTOBJ"], suffixes: ["rate", "rateints"]),
        RoutingRule(step: "atm", instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU"], suffixes: ["cal"]),
        RoutingRule(step: "atm", instruments: ["MIRI"], exposureTypes: ["MIR_MRS"], suffixes: ["cal"]),
        RoutingRule(step: "asset", instruments: ["NIRSPEC"], exposureTypes: ["NRS_FIXEDSLIT", "NRS_BRIGHTOBJ", "NRS_MSASPEC"], suffixes: ["cal"]),
        RoutingRule(step: "asset", instruments: ["MIRI"], exposureTypes: ["MIR_LRS-FIXEDSLIT"], suffixes: ["cal"]),
        RoutingRule(step: "syfu", instruments: ["NIRCAM"], exposureTypes: ["NRC_IMAGE"], suffixes: ["i2d"]),
        RoutingRule(step: "syfu", instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU"], suffixes: ["s3d"]),
    ])

    public func rule(for kind: ExposureKind) -> RoutingRule? { rules.first { $0.matches(kind) } }
}
