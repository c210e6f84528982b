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
            same bytes. `webbflow simulate --list` lists the kinds, `webbflow simulate KIND --help` the settings of one.

            Examples:
              webbflow simulate nirspec-rate --out sim --set detector=NRS2
              webbflow simulate program --out inbox --seed 7
            """,
        // `--help` after a KIND lists that kind's settings, so the command answers it itself.
        helpNames: []
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

    @Flag(name: [.short, .long], help: "Show this help, or with a KIND the settings of that kind.")
    var help = false

    func run() throws {
        if help {
            if let kind, let recipe = SimulationCatalog.recipe(named: kind) {
                print(Self.settings(of: recipe))
            } else {
                print(Webbflow.helpMessage(for: Self.self))
            }
            return
        }
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
        do { _ = try ParameterValues(specs: recipe.settings, assignments: assignments) } catch {
            throw ValidationError("\(kind): \(error)")
        }
        guard Self.isWritableFolder(out) else {
            throw ValidationError("cannot write to '\(out)' (not a folder, or no permission)")
        }
        let files = try recipe.generate(seed: seed, assignments: assignments)
        for path in try SimulationWriter.write(files, to: out) { print("wrote \(path)") }
    }

    static func catalogue() -> String {
        (["Kinds:"] + SimulationCatalog.recipes.flatMap { ["  \($0.name) — \($0.summary)"] + settingLines($0, indent: 6) })
            .joined(separator: "\n")
    }

    /// `simulate KIND --help`: what the kind writes and each setting with its default, valid values and meaning.
    static func settings(of recipe: any SimulationRecipe) -> String {
        (["\(recipe.name): \(recipe.summary)", "", "Settings (--set KEY=VALUE):"] + settingLines(recipe, indent: 2)).joined(separator: "\n")
    }

    /// `name = default`, then the help aligned in a column wide enough for the longest.
    private static func settingLines(_ recipe: any SimulationRecipe, indent: Int) -> [String] {
        let heads = recipe.settings.map { String(repeating: " ", count: indent) + "\($0.name) = \($0.defaultValue)" }
        let width = max(36, (heads.map(\.count).max() ?? 0) + 2)
        return zip(heads, recipe.settings).map { head, s in head.padding(toLength: width, withPad: " ", startingAt: 0) + s.help + s.validity
        }
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
