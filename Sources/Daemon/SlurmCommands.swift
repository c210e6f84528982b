import Foundation

/// Slurm's command-line tools as the executor uses them: `sbatch` to submit, `scontrol` and `squeue` to follow. They
/// find the cluster as any user's commands do (`SLURM_CONF`, `/etc/slurm/slurm.conf`).
enum SlurmCommands {
    /// How Slurm sees a job now.
    enum JobState: Equatable {
        /// Pending, running, completing, suspended, requeued…: not over.
        case active(String)
        /// Over, with Slurm's state (COMPLETED, FAILED, CANCELLED, OUT_OF_MEMORY, TIMEOUT, NODE_FAIL…) and reason.
        case ended(state: String, reason: String)
        /// Slurm no longer knows the job (forgotten after MinJobAge, or lost with the controller's state).
        case unknown
    }

    /// Submits `script` with `arguments` and returns the job id.
    static func submit(script: String, arguments: [String]) async throws -> Int {
        let result = try await run(["sbatch", "--parsable"] + arguments + [script])
        // --parsable prints "ID" or "ID;CLUSTER".
        guard result.status == 0,
            let id = Int(result.output.split(separator: ";").first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        else { throw SlurmCommandError(command: "sbatch", result: result) }
        return id
    }

    /// The job's state, from `scontrol show job` (accounting, and so `sacct`, may not exist on the cluster).
    static func state(of id: Int) async throws -> JobState {
        let result = try await run(["scontrol", "--oneliner", "show", "job", String(id)])
        if result.status != 0 {
            if result.error.contains("Invalid job id") { return .unknown }
            throw SlurmCommandError(command: "scontrol", result: result)
        }
        let fields = Dictionary(
            result.output.split(whereSeparator: \.isWhitespace).compactMap { field -> (String, String)? in
                guard let equals = field.firstIndex(of: "=") else { return nil }
                return (String(field[..<equals]), String(field[field.index(after: equals)...]))
            }, uniquingKeysWith: { first, _ in first })
        let state = fields["JobState"] ?? "UNKNOWN"
        return activeStates.contains(state) ? .active(state) : .ended(state: state, reason: fields["Reason"] ?? "None")
    }

    /// The id of the job named `name` that Slurm still knows (queued, running, or recently ended), if any.
    static func job(named name: String) async throws -> Int? {
        let result = try await run(["squeue", "--noheader", "--states=all", "--name=\(name)", "--format=%i"])
        guard result.status == 0 else { throw SlurmCommandError(command: "squeue", result: result) }
        return result.output.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.max()
    }

    private static let activeStates: Set<String> = [
        "PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING",
        "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD",
    ]

    struct Result: Sendable {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs a Slurm command found on PATH; its outputs are a few lines, read once it has exited.
    private static func run(_ command: [String]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Result(
            status: status, output: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            error: String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}

/// A Slurm command that failed, with what it said.
struct SlurmCommandError: Error, CustomStringConvertible {
    let command: String
    let result: SlurmCommands.Result

    var description: String {
        let said = (result.error + result.output).trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(command) exited with status \(result.status)\(said.isEmpty ? "" : ": \(said)")"
    }
}
