import Foundation
import TestSupport
import XCTest

/// A scratch tree for running the real `webbflow` binary with external steps: inbox, outbox, state, failed, a
/// configuration naming the steps, and `step.sh`, a program that behaves as told and appends each finished run to
/// a ledger (how a test counts executions).
struct ExternalStepTree: DaemonFolders {
    let scratch: TemporaryDirectory
    var root: String { scratch.path }
    var failed: String { "\(root)/failed" }
    var script: String { "\(root)/step.sh" }
    var ledger: String { "\(root)/ledger" }
    var log: String { "\(root)/daemon.log" }

    /// `steps` are `[[external_steps]]` tables in TOML.
    init(steps: [String]) throws {
        scratch = try TemporaryDirectory("webbflow-external")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try Self.program.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try """
        inboxes = ["\(inbox)"]
        outbox = "\(outbox)"
        failed = "\(failed)"
        state_directory = "\(state)"
        settle_seconds = 0.2
        group_settle_seconds = 1
        retry_backoff_seconds = 0.2
        log_target = "stderr"

        """.appending(steps.joined(separator: "\n")).write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// An `[[external_steps]]` table running `step.sh MODE SUFFIX {outdir} LEDGER {inputs}`.
    func step(_ name: String, mode: String, types: [String], suffixes: [String], writes suffix: String, extra: String = "") -> String {
        """
        [[external_steps]]
        name = "\(name)"
        command = ["\(script)", "\(mode)", "\(suffix)", "{outdir}", "\(ledger)", "{inputs}"]
        instruments = ["NIRSPEC"]
        exposure_types = [\(types.map { "\"\($0)\"" }.joined(separator: ", "))]
        suffixes = [\(suffixes.map { "\"\($0)\"" }.joined(separator: ", "))]
        product_suffix = "\(suffix)"
        \(extra)

        """
    }

    /// The runs the ledger recorded, one line each: `<mode> <input file names>`.
    var runs: [String] {
        ((try? String(contentsOfFile: ledger, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Where the daemon placed the product named `name`: `<outbox>/<program>/<name>`.
    func product(_ name: String) -> String {
        let relative = (FileManager.default.enumerator(atPath: outbox)?.allObjects as? [String] ?? []).first { $0.hasSuffix("/\(name)") }
        return "\(outbox)/\(relative ?? name)"
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// `copy` copies each input to `<stem>_<suffix>.fits` after `$DELAY` seconds; `fail` says why on stderr and
    /// exits 3; `hang` starts a child that sleeps and waits for it (its PID in `<ledger>.child`); `none` writes
    /// nothing. Only a run that reaches its end is in the ledger.
    static let program = """
        #!/bin/bash
        mode=$1; suffix=$2; out=$3; ledger=$4; shift 4
        echo "external $mode on $(basename "$1")"
        sleep "${DELAY:-0}"
        case $mode in
          copy) for f in "$@"; do b=$(basename "$f" .fits); cp "$f" "$out/${b%_*}_$suffix.fits"; done ;;
          fail) echo "cannot calibrate: reference file missing" >&2; exit 3 ;;
          hang) sleep 300 & echo $! > "$ledger.child"; wait ;;
          none) echo "nothing to write" ;;
        esac
        names=""; for f in "$@"; do names="$names $(basename "$f")"; done
        echo "$mode$names" >> "$ledger"

        """

    /// Runs the daemon until it is idle; fails the test with the log when it does not stop within `timeout`.
    func runUntilIdle(timeout: Double = 120) async throws {
        let daemon = try WebbflowBinary.start(["run", "--config", config, "--exit-when-idle"], log: log)
        let finished = try await WebbflowBinary.wait(daemon, timeout: timeout)
        XCTAssertTrue(finished, "the daemon became idle and stopped\n\(logText.suffix(4000))")
    }

    /// Rows of an SQL query on the state database, tab-separated (the database is read with Python's sqlite3, a
    /// reader independent of the daemon's).
    func query(_ sql: String) throws -> [String] {
        let python = "import sqlite3,sys\nfor r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print('\\t'.join(map(str, r)))"
        let run = try XCTUnwrap(ExternalTool.run("python3", ["-c", python, "\(state)/webbflow.sqlite", sql]), "python3 is installed")
        XCTAssertTrue(run.succeeded, "\(run)")
        return run.output.split(separator: "\n").map(String.init)
    }
}
