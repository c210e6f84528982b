/// A setting refused while the configuration file is decoded; the message names the key by its dotted path
/// (`slurm.poll_seconds`, `external_steps[0].command`).
struct SettingError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// An error about the setting at `codingPath`: `'slurm.poll_seconds' must be a number, not …`.
    static func at(_ codingPath: [any CodingKey], _ problem: String) -> SettingError {
        SettingError("'\(path(codingPath))' \(problem)")
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce(into: "") { path, key in
            if let index = key.intValue { path += "[\(index)]" } else { path += path.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
    }
}
