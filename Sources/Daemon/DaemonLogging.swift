import Foundation
import Logging
import SystemPackage
import Systemd

/// Chooses the log backend once per process: journald (structured) under systemd, plain stderr elsewhere.
public enum DaemonLogging {
    /// True when systemd connected our stderr to the journal (it sets JOURNAL_STREAM to that stream's device:inode).
    public static var isUnderJournal: Bool {
        guard let value = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        guard let info = try? FileDescriptor.standardError.stat() else { return false }
        return value == "\(info.deviceID.rawValue):\(info.inode.rawValue)"
    }

    /// Installs the backend for `target` (`auto` picks journald when stderr goes to the journal), its text escaped.
    public static func bootstrap(target: DaemonConfiguration.LogTarget, level: String) {
        let level = Logger.Level(rawValue: level.lowercased()) ?? .info
        let journal = target == .journal || (target == .auto && isUnderJournal)
        LoggingSystem.bootstrap { label in
            if journal { return EscapingLogHandler(JournalLogHandler(label: label, level: level)) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(handler)
        }
    }
}
