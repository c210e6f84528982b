import ArgumentParser
import Foundation
import Pipeline
import Simulator

/// `webbflow simulate`: realistic JWST files with their ground truth, to see Webbflow work without downloading.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write simulated JWST exposures (and their noiseless truth) to a folder.",
        discussion: """
            Each KIND writes files with JWST names, headers and extension layout, plus <name>_truth.fits holding \
            the noiseless components, so every step can be scored against the answer. The same seed gives the \
            same bytes. Use `webbflow simulate --list` to see the kinds and their settings.

            Examples:
              webbflow simulate nirspec-rate --out sim --set detector=NRS2
              webbflow simulate program --out inbox --seed 7
            """
    )

    @Argument(help: "What to simulate (see --list).")
    var kind: String?

    @Option(help: "Output folder (created if missing).")
    var out: String?

    @Option(help: "Random seed; the same seed gives the same files.")
    var seed: UInt64 = 1

    @Option(name: .customLong("set"), help: ArgumentHelp("Change a setting of the kind.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Flag(help: "List the kinds and their settings.")
    var list = false

    func run() throws {
        if list || kind == nil {
            print(Self.catalogue())
            if kind == nil && !list { throw ValidationError("give a KIND to simulate") }
            return
        }
        guard let kind, let recipe = SimulationCatalog.recipe(named: kind) else {
            let names = SimulationCatalog.recipes.map(\.name).joined(separator: ", ")
            throw ValidationError("unknown kind '\(kind ?? "")'; valid kinds: \(names.isEmpty ? "(none)" : names)")
        }
        guard let out else { throw ValidationError("--out DIR is required") }
        let settings: ParameterValues
        do { settings = try ParameterValues(specs: recipe.settings, assignments: assignments) } catch {
            throw ValidationError("\(kind): \(error)")
        }
        guard Self.isWritableFolder(out) else {
            throw ValidationError("cannot write to '\(out)' (not a folder, or no permission)")
        }
        let files = try recipe.generate(seed: seed, settings: settings)
        for path in try SimulationWriter.write(files, to: out) { print("wrote \(path)") }
    }

    static func catalogue() -> String {
        var lines = ["Kinds:"]
        for recipe in SimulationCatalog.recipes {
            lines.append("  \(recipe.name) — \(recipe.summary)")
            for s in recipe.settings {
                lines.append("      \(s.name) = \(s.defaultValue)".padding(toLength: 36, withPad: " ", startingAt: 0) + s.help)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// True when `path` is a folder we can write into, or can be created.
    static func isWritableFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory.boolValue && FileManager.default.isWritableFile(atPath: path)
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch { return false }
        return true
    }
}
