import Foundation
import TestSupport
import XCTest

/// A private one-node Slurm cluster (`scripts/slurm-cluster`) for one test: munged, slurmctld and slurmd on this
/// machine, everything under a temporary folder, stopped when the test releases it. Skips the test when Slurm is not
/// installed, unless `CI` is set: then Slurm must be there (scripts/bootstrap installs it).
final class SlurmCluster {
    private let folder: TemporaryDirectory
    private let script: String
    /// What Slurm's commands need to find this cluster (`SLURM_CONF`): give it to the daemon and to every command.
    let environment: [String: String]

    init() throws {
        guard ExternalTool.run("slurmctld", ["-V"]) != nil || FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld") else {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw SlurmMissing() }
            throw XCTSkip("Slurm is not installed (scripts/bootstrap deps installs slurmctld, slurmd, slurm-client and munge)")
        }
        script = "\(SystemdUnitTests.packageRoot)/scripts/slurm-cluster"
        folder = try TemporaryDirectory("webbflow-slurm")
        let started = try ExternalTool.output(script, ["start", folder.path])
        let line = started.split(separator: "\n").first { $0.hasPrefix("SLURM_CONF=") } ?? ""
        environment = ["SLURM_CONF": String(line.dropFirst("SLURM_CONF=".count))]
    }

    deinit { stop() }

    /// Stops the cluster's daemons (idempotent).
    func stop() { _ = ExternalTool.run(script, ["stop", folder.path]) }

    /// Runs one of Slurm's commands on this cluster and returns what it printed; fails the test if it fails.
    @discardableResult
    func command(_ tool: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        guard let run = ExternalTool.run(tool, arguments, environment: environment) else {
            XCTFail("\(tool) is not installed", file: file, line: line)
            return ""
        }
        XCTAssertTrue(run.succeeded, "\(tool) \(arguments.joined(separator: " ")): \(run)", file: file, line: line)
        return run.output
    }

    /// Submits a job that holds every CPU of the node for `seconds`, so that jobs submitted after it wait in the
    /// queue; returns its id.
    func occupyNode(seconds: Int) -> String {
        command(
            "sbatch",
            [
                "--parsable", "--job-name=node-holder", "--cpus-per-task=\(ProcessInfo.processInfo.activeProcessorCount)",
                "--mem=16M", "--output=/dev/null", "--wrap=sleep \(seconds)",
            ]
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The names of every job the controller knows (queued, running, or ended within MinJobAge).
    func jobNames() -> [String] {
        command("squeue", ["--noheader", "--states=all", "--format=%j"]).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// Slurm is missing where the tests must run it (CI).
struct SlurmMissing: Error, CustomStringConvertible {
    var description: String {
        "CI is set but Slurm is not installed: scripts/bootstrap must install slurmctld, slurmd, slurm-client and munge"
    }
}
