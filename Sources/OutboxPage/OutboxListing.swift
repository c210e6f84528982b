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
        public var exposureType: String?
        /// File names of the job's inputs.
        public var inputs: [String]
        public var writtenAt: Date
        /// Whether the product is still in the outbox (a user may have moved it away since).
        public var present: Bool

        public init(path: String, picture: String?, step: String, target: String?, exposureType: String?, inputs: [String],
                    writtenAt: Date, present: Bool) {
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
