import Daemon
import Foundation
import TestSupport
import XCTest

/// A daemon's folders and configuration for the Slurm executor, the spool among them.
struct SlurmTree: DaemonFolders {
    let cluster: SlurmCluster
    let scratch: TemporaryDirectory
    var root: String { scratch.path }

    init(cluster: SlurmCluster) throws {
        self.cluster = cluster
        scratch = try TemporaryDirectory("webbflow-slurm-tree")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    }

    var spool: String { "\(root)/spool" }
    /// The default failed folder.
    var failed: String { "\(state)/failed" }

    /// `memoryScale` nil keeps the default; `settings` are more top-level lines, `slurm` more lines of the `[slurm]`
    /// table, `tables` more tables after it (`[[external_steps]]`).
    func writeConfig(
        memoryScale: Double? = nil, maxAttempts: Int = 3, settings: [String] = [], slurm: [String] = [], tables: String = ""
    ) throws {
        try """
        \(settings.joined(separator: "\n"))
        inboxes = ["\(inbox)"]
        outbox = "\(outbox)"
        state_directory = "\(state)"
        settle_seconds = 0.2
        group_settle_seconds = 1
        max_attempts = \(maxAttempts)
        retry_backoff_seconds = 0.1
        executor = "slurm"
        [slurm]
        spool = "\(spool)"
        poll_seconds = 0.3
        \(memoryScale.map { "memory_scale = \($0)" } ?? "")
        \(slurm.joined(separator: "\n"))
        \(tables)
        """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// The names of the files and folders in the spool, sorted.
    func spoolEntries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).sorted() }

    /// What is left in the outbox's staging folder, where nodes write products for the daemon to check and move.
    func stagedEntries() -> [String] {
        (FileManager.default.enumerator(atPath: "\(outbox)/.webbflow-staging")?.allObjects as? [String] ?? []).sorted()
    }

    /// `environment` is added to the cluster's.
    func startDaemon(exitWhenIdle: Bool, environment: [String: String] = [:]) throws -> Process {
        try WebbflowBinary.start(
            ["run", "--config", config, "--log-target", "stderr"] + (exitWhenIdle ? ["--exit-when-idle"] : []),
            environment: cluster.environment.merging(environment) { $1 }, log: "\(root)/daemon.log")
    }

    func submissions() throws -> [SlurmSubmission] { try StateStore(directory: state, readOnly: true).slurmSubmissions() }

    func log(_ name: String) -> String {
        ((try? String(contentsOfFile: "\(root)/\(name)", encoding: .utf8)) ?? "").suffix(4000).description
    }

    /// The FITS products under `outbox`, relative to it.
    func products(in outbox: String) -> [String] {
        (FileManager.default.enumerator(atPath: outbox)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".fits") }.sorted()
    }

    func waitUntil(_ what: String, timeout: Double, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTFail("timed out after \(timeout) s waiting until \(what)\n\(log("daemon.log"))")
        throw CancellationError()
    }
}
