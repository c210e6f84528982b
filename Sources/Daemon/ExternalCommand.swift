import Foundation
import Logging
import Platform
import Subprocess
import SystemPackage

/// One run of an external step's program: in a process group of its own (so a timeout kills everything it
/// started), standard output and error merged, each line logged with the job's fields, the last lines kept for
/// the failure report.
struct ExternalCommand: Sendable {
    /// The program and its arguments, placeholders already replaced.
    var arguments: [String]
    var environment: [String: String]
    var timeout: Duration

    /// Lines of output kept for a failure report.
    static let tailLines = 40

    /// How the run ended.
    struct Outcome: Sendable {
        var status: TerminationStatus
        var timedOut: Bool
        /// The last lines of its output.
        var tail: [String]
    }

    /// The environment variable naming the work folder of a run; its processes carry it, which is how a daemon
    /// restarted after a crash finds what the previous one left running (`ExternalWorkFolders`).
    static let workFolderVariable = "WEBBFLOW_EXTERNAL_WORK"

    func run(in folder: String, logger: Logger) async throws -> Outcome {
        var options = PlatformOptions()
        // A new group led by the program: the timeout's signal reaches its children too.
        options.processGroupID = 0
        var variables: [Environment.Key: String?] = [Environment.Key(stringLiteral: Self.workFolderVariable): folder]
        for (name, value) in environment { variables[Environment.Key(stringLiteral: name)] = value }
        let executable: Executable = arguments[0].contains("/") ? .path(FilePath(arguments[0])) : .name(arguments[0])
        let tail = Locked<[String]>([])
        let timedOut = Locked(false)
        let timeout = self.timeout
        let result = try await Subprocess.run(
            executable, arguments: Arguments(Array(arguments.dropFirst())), environment: .inherit.updating(variables),
            workingDirectory: FilePath(folder), platformOptions: options, input: .none, output: .sequence, error: .combinedWithOutput
        ) { execution in
            let watchdog = Task {
                try await Task.sleep(for: timeout)
                timedOut.withLock { $0 = true }
                try? execution.send(signal: .kill, toProcessGroup: true)
            }
            defer { watchdog.cancel() }
            for try await line in execution.standardOutput.strings() {
                logger.info("\(line)", metadata: [LogField.outcome: "output"])
                tail.withLock { lines in
                    lines.append(line)
                    if lines.count > Self.tailLines { lines.removeFirst(lines.count - Self.tailLines) }
                }
            }
        }
        return Outcome(status: result.terminationStatus, timedOut: timedOut.current, tail: tail.current)
    }
}
