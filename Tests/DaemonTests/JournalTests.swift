import Foundation
import TestSupport
import XCTest

/// Structured entries through a real systemd-journald, started in a private mount namespace so nothing touches
/// the host's journal, then queried back with journalctl by field.
final class JournalTests: XCTestCase {
    func testStructuredFieldsReachJournaldAndCanBeQueried() throws {
        let journald = "/usr/lib/systemd/systemd-journald"
        guard FileManager.default.isExecutableFile(atPath: journald), run("/usr/bin/unshare", ["-m", "true"]) == 0 else {
            throw XCTSkip("unshare -m is not permitted here (or systemd-journald is missing); journald not exercised")
        }
        let binary = try WebbflowBinary.locate()
        let scratch = try TemporaryDirectory("webbflow-journal")
        let root = scratch.path
        try FileManager.default.createDirectory(atPath: "\(root)/inbox", withIntermediateDirectories: true)
        XCTAssertEqual(run(binary, ["simulate", "program", "--out", "\(root)/inbox", "--set", "science=false"]), 0)
        let script = """
            set -e
            mount -t tmpfs tmpfs /run/systemd; mkdir -p /run/systemd/journal
            mkdir -p /run/log /var/log/journal; mount -t tmpfs tmpfs /run/log; mount -t tmpfs tmpfs /var/log/journal
            \(journald) & J=$!
            for i in $(seq 50); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done
            "\(binary)" run --inbox "\(root)/inbox" --outbox "\(root)/outbox" --state-dir "\(root)/state" --settle 0.1 \\
                --log-target journal --exit-when-idle
            sleep 0.5
            journalctl --no-pager -o json WEBBFLOW_OUTCOME=skipped > "\(root)/skipped.json"
            journalctl --no-pager -o json SYSLOG_IDENTIFIER=webbflow > "\(root)/all.json"
            kill $J
            """
        XCTAssertEqual(run("/usr/bin/unshare", ["-m", "--propagation", "private", "bash", "-c", script]), 0)
        let entries = try String(contentsOfFile: "\(root)/skipped.json", encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(entries.count, 4, "one entry per skipped file of the download (uncal, TA, reference, x1d)")
        for entry in entries {
            XCTAssertEqual(entry["SYSLOG_IDENTIFIER"] as? String, "webbflow")
            XCTAssertEqual(entry["PRIORITY"] as? String, "5")
            XCTAssertEqual(entry["_TRANSPORT"] as? String, "journal")
            XCTAssertNotNil(entry["CODE_FILE"])
            XCTAssertNotNil(entry["WEBBFLOW_SKIP_REASON"])
            XCTAssertTrue((entry["WEBBFLOW_FILE"] as? String)?.hasPrefix("\(root)/inbox/") == true)
        }
        let reasons = Set(entries.compactMap { $0["WEBBFLOW_SKIP_REASON"] as? String })
        XCTAssertEqual(reasons, ["target-acquisition", "unsupported-mode", "reference-file"])
        XCTAssertEqual(entries.filter { $0["JWST_EXP_TYPE"] as? String == "NRS_WATA" }.first?["JWST_PROGRAM"] as? String, "04242")
        let all = try String(contentsOfFile: "\(root)/all.json", encoding: .utf8)
        XCTAssertTrue(all.contains("ready: watching"), "the startup entries are there too")
    }

    private func run(_ executable: String, _ arguments: [String]) -> Int32 {
        ExternalTool.run(executable, arguments)?.status ?? -1
    }
}
