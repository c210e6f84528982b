import Foundation

/// What the outbox page shows, read from the state database: the products by program with their pictures, the
/// jobs that failed for good with their reasons, and the files not processed. Every text here may come from a
/// header (program, target, file names) and is escaped when the page is rendered.
public struct OutboxListing: Sendable, Equatable {
    /// One product in the outbox.
    public struct Product: Sendable, Equatable {
        /// Path relative to the outbox folder (`<program>/<file>`).
        public var path: String
        /// The quick-look picture's path relative to the outbox folder, when one was recorded.
        public var picture: String?
        public var step: String
        public var target: String?
        /// The observing mode: the exposure types of its inputs (`mode(of:inputs:)`).
        public var exposureType: String?
        /// File names of the job's inputs.
        public var inputs: [String]
        public var writtenAt: Date
        /// Whether the product is still in the outbox (a user may have moved it away since).
        public var present: Bool

        public init(
            path: String, picture: String?, step: String, target: String?, exposureType: String?, inputs: [String],
            writtenAt: Date, present: Bool
        ) {
            self.path = path
            self.picture = picture
            self.step = step
            self.target = target
            self.exposureType = exposureType
            self.inputs = inputs
            self.writtenAt = writtenAt
            self.present = present
        }
    }

    /// A job that failed for good.
    public struct Failure: Sendable, Equatable {
        public var step: String
        public var inputs: [String]
        public var reason: String
        public var attempts: Int
        public var failedAt: Date?

        public init(step: String, inputs: [String], reason: String, attempts: Int, failedAt: Date?) {
            self.step = step
            self.inputs = inputs
            self.reason = reason
            self.attempts = attempts
            self.failedAt = failedAt
        }
    }

    /// A file that was not processed (skipped, duplicate or incomplete) and why.
    public struct SkippedFile: Sendable, Equatable {
        public var name: String
        public var state: String
        /// The machine-readable reason (`not-a-file`, `too-large`…), when there is one.
        public var code: String?
        public var reason: String

        public init(name: String, state: String, code: String?, reason: String) {
            self.name = name
            self.state = state
            self.code = code
            self.reason = reason
        }
    }

    /// Products by program.
    public var programs: [String: [Product]]
    public var failures: [Failure]
    public var skipped: [SkippedFile]

    public init(programs: [String: [Product]] = [:], failures: [Failure] = [], skipped: [SkippedFile] = []) {
        self.programs = programs
        self.failures = failures
        self.skipped = skipped
    }
}

extension OutboxListing {
    /// The observing mode of the product named `product`, made from `inputs` (file name, EXP_TYPE): the exposure type
    /// of the input it is named after first (a fused cube is named after its NIRSpec cube), then the others', each
    /// once: `NRS_IFU + NRC_IMAGE`. Nil when no input's type is known.
    public static func mode(of product: String, inputs: [(name: String, exposureType: String)]) -> String? {
        var ordered = inputs
        if let namesake = inputs.firstIndex(where: { input in stem(of: input.name).map { product.hasPrefix($0 + "_") } ?? false }) {
            ordered.insert(ordered.remove(at: namesake), at: 0)
        }
        var seen: Set<String> = []
        let types = ordered.map(\.exposureType).filter { !$0.isEmpty && seen.insert($0).inserted }
        return types.isEmpty ? nil : types.joined(separator: " + ")
    }

    /// A file name without its last `_suffix` and extension (`jw…_nrs1` of `jw…_nrs1_rate.fits`); nil without one.
    private static func stem(of name: String) -> String? {
        guard let underscore = name.lastIndex(of: "_"), underscore > name.startIndex else { return nil }
        return String(name[..<underscore])
    }
}
