import Foundation

/// The parts of a JWST product file name (jwst docs, "file naming"): exposure-based (stage 0–2)
/// `jw<ppppp><ooo><vvv>_<gg><s><aa>_<eeeee>[-segNNN]_<detector>[_oNNN]_<suffix>.fits` and source-based (stage 3)
/// `jw<ppppp>-<AC_ID>_<target>_<instrument>_<optical elements>[-<subarray>]_<suffix>[-<ACT_ID>].fits`. Either may
/// carry a cut-out tag after the suffix, as tools that cut slits out of pipeline products write them (msaexp:
/// `jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits`, slit 138 and source 1345_933 of that exposure).
public struct ProductName: Sendable, Equatable {
    /// The file name without directories.
    public let fileName: String
    /// The name without its product suffix and extension: `jw01345062001_03101_00001_nrs2`.
    public let stem: String
    /// The product type: rate, rateints, cal, s3d, i2d, x1d… Lower case; empty when the name has none.
    public let suffix: String
    /// Whether the name follows one of the JWST patterns.
    public let isJWSTName: Bool
    /// True for stage-3 (source-based) names.
    public let isLevel3: Bool
    /// The file is gzip-compressed (`.fits.gz`).
    public let isCompressed: Bool
    /// The cut-out tag after the product suffix (`138.1345_933`), nil for a whole pipeline product.
    public let cutout: String?

    /// Product types the `jwst` pipeline writes. The registered steps add theirs (`StepRegistry.productSuffixes`);
    /// anything else is an unknown suffix.
    public static let pipelineSuffixes: Set<String> = [
        "uncal", "ramp", "rate", "rateints", "trapsfilled", "fitopt", "dark", "cal", "calints", "crf", "crfints",
        "bsub", "bsubints", "s2d", "s3d", "x1d", "x1dints", "c1d", "i2d", "segm", "psfstack", "psfalign", "psfsub",
        "amiavg", "aminorm", "ami", "whtlt", "wfscmb", "median", "phot",
    ]

    /// Parses `fileName`; `productSuffixes` are further product types, which may themselves contain an underscore
    /// (`fused_s3d`): the name's last two parts are taken together when they spell one of them.
    public init(_ fileName: String, productSuffixes: Set<String> = []) {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        self.fileName = base
        var name = base
        isCompressed = name.lowercased().hasSuffix(".gz")
        if isCompressed { name = String(name.dropLast(3)) }
        if name.lowercased().hasSuffix(".fits") {
            name = String(name.dropLast(5))
        } else if name.lowercased().hasSuffix(".fit") {
            name = String(name.dropLast(4))
        }
        if let dot = name.firstIndex(of: "."), Self.isPipelineName(String(name[..<dot]).lowercased()),
            name[name.index(after: dot)...].lowercased().wholeMatch(of: Patterns.cutoutTag) != nil
        {
            cutout = String(name[name.index(after: dot)...])
            name = String(name[..<dot])
        } else {
            cutout = nil
        }
        let lower = name.lowercased()
        isJWSTName = Self.isPipelineName(lower)
        isLevel3 = lower.wholeMatch(of: Patterns.level3Prefix) != nil
        var parts = lower.split(separator: "_").map(String.init)
        var suffix = parts.last ?? ""
        if isLevel3, let dash = suffix.firstIndex(of: "-"), Self.pipelineSuffixes.union(productSuffixes).contains(String(suffix[..<dash])) {
            suffix = String(suffix[..<dash])
        }
        if parts.count >= 3, productSuffixes.contains("\(parts[parts.count - 2])_\(suffix)") {
            suffix = "\(parts[parts.count - 2])_\(suffix)"
            parts.removeLast()
        }
        self.suffix = parts.count > 1 ? suffix : ""
        if !self.suffix.isEmpty, let range = lower.range(of: "_" + self.suffix, options: .backwards) {
            stem = String(name[..<range.lowerBound])
        } else {
            stem = name
        }
    }

    private static func isPipelineName(_ lower: String) -> Bool {
        lower.wholeMatch(of: Patterns.exposureBased) != nil || lower.wholeMatch(of: Patterns.sourceBased) != nil
    }

    /// The name patterns, compiled once: the daemon classifies thousands of names a second.
    private enum Patterns {
        nonisolated(unsafe) static let exposureBased = /jw\d{11}_\d{5}_\d{5}(-seg\d{3})?_[a-z0-9]+(_o\d{3})?_[a-z0-9_]+/
        nonisolated(unsafe) static let sourceBased = /jw\d{5}-[aco]\d{3,4}_[a-z0-9_\-]+_[a-z0-9_]+(-[a-z0-9]+)?/
        nonisolated(unsafe) static let level3Prefix = /jw\d{5}-[aco]\d{3,4}_.*/
        nonisolated(unsafe) static let cutoutTag = /[a-z0-9_\-]+(\.[a-z0-9_\-]+)*/
    }

    /// The name of a product of this file: `<stem>_<suffix>.fits`, or `<stem>_<suffix>.<cut-out tag>.fits` for a
    /// cut-out, so that the products of several cut-outs of one exposure keep apart as their inputs do.
    public func product(suffix: String) -> String { cutout.map { "\(stem)_\(suffix).\($0).fits" } ?? "\(stem)_\(suffix).fits" }
}
