import FITS

/// The outcome of classifying one file: what it is (when readable) and what Webbflow will do with it.
public struct Classification: Sendable, Equatable {
    public var path: String
    public var name: ProductName
    public var kind: ExposureKind?
    public var verdict: Verdict

    public init(path: String, name: ProductName, kind: ExposureKind?, verdict: Verdict) {
        self.path = path
        self.name = name
        self.kind = kind
        self.verdict = verdict
    }
}

/// Decides, from headers and the file name only, whether and how a file is processed.
///
/// The order of the checks matters: a damaged file is reported as damaged, a reference file as a reference file
/// even though it carries science-like keywords, and calibration or acquisition exposures are skipped before
/// the registered steps' routes are consulted.
public struct Classifier: Sendable {
    public var registry: StepRegistry
    /// Product types known in file names: jwst's and those of the registered steps.
    private let suffixes: Set<String>

    public init(registry: StepRegistry) {
        self.registry = registry
        self.suffixes = ProductName.pipelineSuffixes.union(registry.productSuffixes)
    }

    /// The parts of the file name at `path`, knowing the registered steps' product suffixes.
    public func name(of path: String) -> ProductName { ProductName(path, productSuffixes: registry.productSuffixes) }

    /// Classifies the file at `path` by reading its primary and first-extension headers, a compressed file
    /// streamed through its headers (never decompressed whole: a small gzip may expand to gigabytes).
    public func classify(path: String) -> Classification {
        let name = name(of: path)
        let survey = FITSStructure.survey(path, keepingHeaders: 2)
        switch survey.verdict {
        case .notFITS(let why):
            return Classification(path: path, name: name, kind: nil, verdict: .skip(.damaged, "not a FITS file: \(why)"))
        case .incomplete(let why):
            return Classification(path: path, name: name, kind: nil, verdict: .skip(.damaged, "incomplete FITS file: \(why)"))
        case .complete: break
        }
        return classify(primary: survey.headers[0], science: survey.headers.dropFirst().first, name: name, path: path)
    }

    /// Classifies from headers already read.
    public func classify(primary: Header, science: Header?, name: ProductName, path: String) -> Classification {
        let kind = ExposureKind(primary: primary, science: science, name: name)
        return Classification(path: path, name: name, kind: kind, verdict: verdict(for: kind, primary: primary))
    }

    func verdict(for kind: ExposureKind, primary: Header) -> Verdict {
        if !kind.referenceType.isEmpty || primary.contains("USEAFTER") && primary.contains("PEDIGREE") {
            let type = kind.referenceType.isEmpty ? "unknown type" : kind.referenceType
            return .skip(.referenceFile, "CRDS reference file (REFTYPE \(type)), not science data")
        }
        if kind.telescope != "JWST" {
            let found = kind.telescope.isEmpty ? "no TELESCOP keyword" : "TELESCOP = '\(kind.telescope)'"
            return .skip(.notJWST, "not a JWST file (\(found))")
        }
        let type = kind.exposureType
        if type.isEmpty { return .skip(.unsupportedMode, "no EXP_TYPE keyword: cannot tell what the exposure is") }
        if Self.isTargetAcquisition(type) {
            return .skip(.targetAcquisition, "target-acquisition or confirmation exposure (\(type))")
        }
        if Self.isCalibration(type) {
            return .skip(.calibrationExposure, "calibration exposure (\(type)): dark, lamp, flat or focus")
        }
        if !suffixes.contains(kind.suffix) {
            let shown = kind.suffix.isEmpty ? "none" : "'\(kind.suffix)'"
            return .skip(.unknownSuffix, "product suffix \(shown) is not a JWST pipeline product type")
        }
        guard let step = registry.step(routing: kind)?.manifest else {
            return .skip(.unsupportedMode, Self.unsupportedExplanation(kind))
        }
        if let done = Self.completedStatus(of: step, in: primary) {
            return .skip(.alreadyProcessed, "already processed by \(step.name) or jwst's equivalent (\(done) = 'COMPLETE')")
        }
        return .route(step: step.name)
    }

    /// The step's status keyword (current or former name) that `primary` marks COMPLETE, if any.
    static func completedStatus(of step: StepManifest, in primary: Header) -> String? {
        // An empty name would match the blank-keyword section titles of real headers.
        ([step.statusKeyword] + step.formerStatusKeywords).filter { !$0.isEmpty }.first { key in
            if case .string(let value)? = primary[key] {
                value.trimmingCharacters(in: .whitespaces).uppercased() == "COMPLETE"
            } else {
                false
            }
        }
    }

    static func isTargetAcquisition(_ type: String) -> Bool {
        ["_TACQ", "_TACONFIRM", "_TASLIT", "_WATA", "_MSATA", "_CONFIRM", "ACQ1", "ACQ2", "_VERIFY"].contains { type.hasSuffix($0) }
            || type.hasPrefix("FGS_")
    }

    static func isCalibration(_ type: String) -> Bool {
        ["DARK", "LAMP", "FLAT", "FOCUS", "_AUTOWAVE", "_AUTOFLAT", "_LED", "_MIMF", "_WFSC", "_EXTCAL", "CORONCAL"].contains {
            type.contains($0)
        }
    }

    static func unsupportedExplanation(_ kind: ExposureKind) -> String {
        switch kind.suffix {
        case "uncal", "ramp": "raw \(kind.suffix) data: Webbflow starts from rate files (run calwebb_detector1 first)"
        case "x1d", "x1dints", "c1d": "already an extracted spectrum; nothing to do"
        default: "no Webbflow step handles \(kind.instrument) \(kind.exposureType) \(kind.suffix) files"
        }
    }
}
