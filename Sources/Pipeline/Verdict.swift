/// Why a file is not processed.
public enum SkipReason: String, Sendable, Codable, CaseIterable {
    case referenceFile = "reference-file"
    case targetAcquisition = "target-acquisition"
    case calibrationExposure = "calibration-exposure"
    case unsupportedMode = "unsupported-mode"
    case notJWST = "not-jwst"
    case unknownSuffix = "unknown-suffix"
    case damaged = "damaged"
    case noStepRegistered = "no-step-registered"
    case alreadyProcessed = "already-processed"
}

/// What Webbflow will do with one file: run a step on it, or skip it for a stated reason.
public enum Verdict: Sendable, Equatable, Codable {
    case route(step: String)
    case skip(SkipReason, String)

    public var stepName: String? { if case .route(let s) = self { s } else { nil } }

    /// A short phrase for tables and logs.
    public var summary: String {
        switch self {
        case .route(let step): "route to \(step)"
        case .skip(let reason, _): "skip (\(reason.rawValue))"
        }
    }

    /// The human-readable reason.
    public var reason: String {
        switch self {
        case .route(let step): "accepted by step \(step)"
        case .skip(_, let detail): detail
        }
    }
}
