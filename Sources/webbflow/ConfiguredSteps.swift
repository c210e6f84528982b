import ArgumentParser
import Daemon
import Foundation
import Pipeline

/// The steps the one-shot commands use: the built-in ones and the external steps of a configuration file.
enum ConfiguredSteps {
    /// External programs run by `process` get their output folders under the system's temporary folder.
    static func catalog(config: String?) throws -> StepCatalog {
        let workRoot = FileManager.default.temporaryDirectory.appendingPathComponent(
            "webbflow-external-\(ProcessInfo.processInfo.processIdentifier)"
        ).path
        do { return try StepCatalog.load(configuration: config, builtIn: BuiltinSteps.registry, workRoot: workRoot) } catch {
            throw ValidationError(error.description)
        }
    }
}
