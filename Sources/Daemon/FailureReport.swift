import Foundation
import Pipeline

/// `failed/<input>.error.json`: what failed for good, why, with which parameters and versions — and, when
/// configured, a copy of the input (or the input itself, moved) beside it.
struct FailureReport: Encodable {
    var step: String
    var inputs: [String]
    var group: String?
    var error: String
    var attempts: Int
    var parameters: [String]
    var webbflowVersion = WebbflowVersion.current
    var failedAt = ISO8601DateFormatter().string(from: Date())

    enum CodingKeys: String, CodingKey {
        case step, inputs, group, error, attempts, parameters
        case webbflowVersion = "webbflow_version"
        case failedAt = "failed_at"
    }

    /// The report's file name: after the input (or the group), sanitised.
    var fileName: String {
        let base = group ?? inputs.first.map { ($0 as NSString).lastPathComponent } ?? step
        return SafeName.component("\(step)-\(base)") + ".error.json"
    }

    /// Writes the report atomically into `directory` and applies the input policy; returns the report's path.
    @discardableResult
    func write(to directory: String, inputs policy: DaemonConfiguration.FailedInputPolicy) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = try AtomicFile.write(try encoder.encode(self), named: fileName, in: directory)
        guard policy != .keep else { return path }
        for input in inputs {
            let destination = "\(directory)/\(SafeName.component((input as NSString).lastPathComponent))"
            try? FileManager.default.removeItem(atPath: destination)
            if policy == .move, rename(input, destination) == 0 { continue }
            try FileManager.default.copyItem(atPath: input, toPath: destination)
        }
        return path
    }
}
