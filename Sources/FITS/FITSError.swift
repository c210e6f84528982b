import CFITSIO
import Foundation

/// An error from reading or writing a FITS file, carrying cfitsio's own message and the file it concerns.
public struct FITSError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, in categories a caller can act on.
    public enum Kind: Sendable, Equatable {
        /// cfitsio reported a non-zero status; `status` holds it.
        case library
        /// A stored CHECKSUM or DATASUM does not match the bytes.
        case checksumMismatch
        /// The file ends before its headers say it should, or carries bytes after the last HDU.
        case incomplete
        /// No HDU with the requested EXTNAME/EXTVER or index.
        case missingHDU
        /// The HDU holds a layout this library does not read (for instance variable-length table columns).
        case unsupported
        /// The caller asked for something inconsistent (wrong element type, wrong shape).
        case invalidArgument
        /// A system call on the file failed (open, read, write); the message carries the system's reason.
        case io
    }

    public let kind: Kind
    /// The cfitsio status code, 0 when the error did not come from cfitsio.
    public let status: Int32
    /// A one-line description, including cfitsio's error text when there is one.
    public let message: String
    /// The file the error concerns.
    public let file: String

    public init(_ kind: Kind, _ message: String, file: String, status: Int32 = 0) {
        self.kind = kind
        self.message = message
        self.file = file
        self.status = status
    }

    /// An error for a failed cfitsio call: the operation, cfitsio's status text and the deepest message on its error stack.
    static func library(status: Int32, operation: String, file: String) -> FITSError {
        var text = [CChar](repeating: 0, count: Int(FLEN_ERRMSG))
        ffgerr(status, &text)
        var stack: [String] = []
        var line = [CChar](repeating: 0, count: Int(FLEN_ERRMSG))
        while ffgmsg(&line) != 0 { stack.append(decodeCString(line)) }
        let detail = stack.first { !$0.isEmpty && !$0.hasPrefix("ffopen") } ?? ""
        var message = "\(operation): \(decodeCString(text))"
        if !detail.isEmpty, !message.contains(detail) { message += " (\(detail.trimmingCharacters(in: .whitespaces)))" }
        return FITSError(.library, message, file: file, status: status)
    }

    public var description: String { "\(file): \(message)" }
}

/// Decodes a NUL-terminated C character buffer (the `[CChar]` initialiser of String is deprecated).
func decodeCString(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { pointer in
        let bytes = pointer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Runs a cfitsio call and converts a non-zero status into a `FITSError`.
@inline(__always)
func check(_ operation: @autoclosure () -> String, file: String, _ body: (inout Int32) -> Void) throws(FITSError) {
    var status: Int32 = 0
    body(&status)
    if status != 0 { throw FITSError.library(status: status, operation: operation(), file: file) }
}
