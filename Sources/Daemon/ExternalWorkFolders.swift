import Foundation
import Logging
import Pipeline
import Subprocess

/// The folders external programs run in (`<state directory>/external/<step>-<inputs>/`, their products in `out/`),
/// and the clean-up after a crash: a daemon killed while a program ran leaves the program running and its folder
/// behind. At the next start, before any job is run again, those programs are killed (they carry their folder in
/// their environment) and the folders removed, so no orphan finishes a job that is about to run anew.
struct ExternalWorkFolders: Sendable {
    let root: String

    /// An empty folder for a run of `step` on `inputs`; a leftover of the same run is removed first.
    func fresh(step: String, inputs: [String]) throws -> String {
        let key = Array(inputs.joined(separator: "\n").utf8).withUnsafeBytes(ContentHash.of)
        let folder = "\(root)/\(SafeName.component(step))-\(key)"
        remove(folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func remove(_ folder: String) { try? FileManager.default.removeItem(atPath: folder) }

    /// Kills what runs from a folder under the root, then removes every folder. Called at the daemon's start, when
    /// the instance lock guarantees that no other daemon owns these programs.
    func reclaim(logger: Logger) async {
        let orphans = Self.processes(inside: root)
        if !orphans.isEmpty {
            logger.notice(
                "killing \(orphans.count) process(es) of external steps left running by the previous daemon: \(orphans.map(String.init).joined(separator: " "))"
            )
            _ = try? await Subprocess.run(.name("kill"), arguments: Arguments(["-KILL"] + orphans.map(String.init)), output: .discarded)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] { remove("\(root)/\(name)") }
    }

    /// Processes whose environment names a work folder under `root`.
    private static func processes(inside root: String) -> [Int] {
        let marker = Array("\(ExternalCommand.workFolderVariable)=\(root)/".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int.init).filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { $0.starts(with: marker) }
        }.sorted()
    }
}
