import CSystemd
import Foundation
import Logging

/// A swift-log backend that sends each entry to journald through libsystemd (`sd_journal_sendv`) as a
/// structured record: MESSAGE, PRIORITY, CODE_FILE/LINE/FUNC, SYSLOG_IDENTIFIER and every metadata key as its
/// own field, with names sanitised to journald's rules.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let identifier: String

    public init(label: String, level: Logger.Level = .info, identifier: String = "webbflow") {
        self.label = label
        self.logLevel = level
        self.identifier = identifier
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(Self.priority(event.level))",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "WEBBFLOW_LOGGER=\(label)",
        ]
        if let error = event.error { fields.append("WEBBFLOW_ERROR=\(error)") }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            guard let name = Self.fieldName(key) else { continue }
            fields.append("\(name)=\(value)")
        }
        Self.send(fields)
    }

    /// syslog priority: 2 critical … 7 debug.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A journald field name for a metadata key: upper-case letters, digits and underscore, not starting with an
    /// underscore or digit (those are journald's trusted fields), at most 64 characters; nil when nothing is left.
    public static func fieldName(_ key: String) -> String? {
        var name = String(
            key.uppercased().unicodeScalars.map { scalar -> Character in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
        while let first = name.first, first == "_" || first.isNumber { name.removeFirst() }
        if name.count > 64 { name = String(name.prefix(64)) }
        return name.isEmpty ? nil : name
    }

    static func send(_ fields: [String]) {
        let buffers = fields.map { strdup($0)! }
        defer { buffers.forEach { free($0) } }
        var vectors = zip(buffers, fields).map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: $1.utf8.count) }
        _ = sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}
