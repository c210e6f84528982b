import FITS

/// What a failed job's error means for trying again.
public enum FailureKind: String, Sendable, Equatable {
    /// The input is not what the step can work with (an extension missing, no source on the slit, inputs that do
    /// not belong together, a parameter out of range): the same input fails the same way, so it fails at once.
    case invalidInput = "invalid-input"
    /// The step does not handle this kind of input at all (a step forced onto another mode): fails at once.
    case unsupported
    /// The trouble of the moment (an I/O error, a full disk, a busy database): retried with backoff.
    case transient

    /// True when no retry can help.
    public var isPermanent: Bool { self != .transient }

    /// The kind of `error`: what it says of itself (`ClassifiedFailure`), the FITS library's verdict on the bytes,
    /// and otherwise transient: an error that does not say is the system's, and retries are bounded anyway.
    public static func of(_ error: any Error) -> FailureKind {
        if let classified = error as? any ClassifiedFailure { return classified.failureKind }
        if let fits = error as? FITSError {
            switch fits.kind {
            case .checksumMismatch, .incomplete, .missingHDU: return .invalidInput
            case .unsupported: return .unsupported
            case .library, .invalidArgument, .io: return .transient
            }
        }
        return .transient
    }
}

/// An error that says which kind of failure it is. Every error a step throws about its input should.
public protocol ClassifiedFailure: Error {
    var failureKind: FailureKind { get }
}

/// A failure with a message for the user and its kind, for steps and the pipeline around them.
public struct StepFailure: ClassifiedFailure, CustomStringConvertible, Sendable {
    public let failureKind: FailureKind
    public let description: String

    public init(_ failureKind: FailureKind, _ description: String) {
        self.failureKind = failureKind
        self.description = description
    }
}

extension ExposureError: ClassifiedFailure {
    public var failureKind: FailureKind { .invalidInput }
}

extension ParameterError: ClassifiedFailure {
    public var failureKind: FailureKind { .invalidInput }
}
