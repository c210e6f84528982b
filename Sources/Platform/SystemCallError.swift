import Foundation
import Glibc
import SystemPackage

/// A system call that failed: what was being done and the kernel's reason. The one form in which errno becomes a
/// Swift error. It reports itself in the POSIX error domain, so that callers that retry the system's transient
/// failures (I/O, a full disk, permissions) recognise it as one of them.
public struct SystemCallError: Error, CustomStringConvertible, CustomNSError {
    /// The call and its object, e.g. "rename a to b".
    public let operation: String
    public let reason: Errno

    public init(_ operation: String, _ reason: Errno) {
        self.operation = operation
        self.reason = reason
    }

    /// The failure the last system call on this thread left in errno.
    public static func current(_ operation: String) -> SystemCallError { SystemCallError(operation, Errno(rawValue: errno)) }

    /// Runs `body` (swift-system calls, which throw a bare `Errno`) and names `operation` in the error it throws.
    public static func naming<T>(_ operation: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let reason as Errno { throw SystemCallError(operation(), reason) }
    }

    public var description: String { "\(operation): \(reason)" }

    public static var errorDomain: String { NSPOSIXErrorDomain }
    public var errorCode: Int { Int(reason.rawValue) }
    public var errorUserInfo: [String: Any] { [NSLocalizedDescriptionKey: description] }
}
