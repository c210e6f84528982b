import Foundation
import Pipeline
import TestSupport
import XCTest

@testable import Daemon

/// What attempts leave in the spool: everything goes once the attempt is settled, but Slurm's output of failed
/// attempts, which stays for `failed_output_days` and only the newest `failed_output_files` of it; nothing of an
/// attempt still running or not yet settled is touched.
final class SpoolCleanupSlurmTests: XCTestCase {
    func testFailedAttemptsKeepTheirOutputForABoundedTimeAndNumber() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        let steps = try ExternalStepTree(steps: [])
        let tables =
            steps.step("broken", mode: "fail", types: ["NRS_FIXEDSLIT"], suffixes: ["rate"], writes: "cal")
            + steps.step("copier", mode: "copy", types: ["NRS_IFU"], suffixes: ["rate"], writes: "cal")
        try tree.writeConfig(maxAttempts: 3, slurm: ["failed_output_files = 2"], tables: tables)
        let failing = try TestExposures.bytes(exposure: 1, type: "NRS_FIXEDSLIT")
        try failing.data.write(to: URL(fileURLWithPath: "\(tree.inbox)/\(failing.name)"))
        var daemon = try tree.startDaemon(exitWhenIdle: true)
        var finished = try await WebbflowBinary.wait(daemon, timeout: 300)
        XCTAssertTrue(finished, "the daemon finished\n\(tree.log("daemon.log"))")

        // Three attempts failed; the newest two outputs stay, each saying why its attempt failed, and nothing else.
        let job = try XCTUnwrap(try tree.submissions().first?.job)
        XCTAssertEqual(try tree.submissions().map(\.endState), ["COMPLETED", "COMPLETED", "COMPLETED"], "the step failed on the node")
        XCTAssertEqual(tree.spoolEntries(), ["job\(job).2.out", "job\(job).3.out"])
        for name in tree.spoolEntries() {
            let output = try String(contentsOfFile: "\(tree.spool)/\(name)", encoding: .utf8)
            XCTAssertTrue(output.contains("cannot calibrate: reference file missing"), "\(name): \(output)")
        }
        XCTAssertEqual(tree.stagedEntries(), [])

        // A week and a day later the older one has outlived failed_output_days (7 by default) and goes at the next
        // lull, which a successful job brings; the newer one stays.
        let aged = "\(tree.spool)/job\(job).2.out"
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-8 * 86_400)], ofItemAtPath: aged)
        let working = try TestExposures.bytes(exposure: 2, type: "NRS_IFU")
        try working.data.write(to: URL(fileURLWithPath: "\(tree.inbox)/\(working.name)"))
        daemon = try tree.startDaemon(exitWhenIdle: true)
        finished = try await WebbflowBinary.wait(daemon, timeout: 300)
        XCTAssertTrue(finished, "the daemon finished\n\(tree.log("daemon.log"))")
        XCTAssertEqual(try StatusReport.read(stateDirectory: tree.state, recent: 10).productCount, 1)
        XCTAssertEqual(tree.spoolEntries(), ["job\(job).3.out"])
        XCTAssertEqual(tree.stagedEntries(), [])
    }

    /// The clean-up against a real state database: files of the attempt a running job is on, and of a submission not
    /// seen to end, stay whatever their age; a settled attempt's go, its output once past the bounds.
    func testFilesOfUnsettledAttemptsStay() throws {
        let scratch = try TemporaryDirectory("webbflow-spool")
        let (spool, outbox) = ("\(scratch.path)/spool", "\(scratch.path)/outbox")
        let store = try StateStore(directory: "\(scratch.path)/state")
        var jobs: [Int64] = []
        for inode in 1...3 {
            let path = "/in/\(inode).fits"
            try store.record(
                StateStore.FileRecord(
                    path: path, identity: FileIdentity(device: 1, inode: UInt64(inode), size: 10, modificationNanoseconds: 1),
                    hash: "h\(inode)", state: .routed, step: "nsclean", reason: "test"),
                job: Job(step: "nsclean", inputs: [path]))
            let claimed = try XCTUnwrap(try store.claimNextJob())
            try store.recordSlurmSubmission(job: claimed.id, attempt: 1, name: "webbflow-\(claimed.id).1", memoryMB: 1)
            jobs.append(claimed.id)
        }
        let (running, settled, unseen) = (jobs[0], jobs[1], jobs[2])
        // The second failed and waits for its next attempt; the third's job is no longer running, but Slurm was never
        // seen to end its submission.
        try store.recordSlurmEnd("FAILED", job: settled, attempt: 1)
        try store.retryJob(settled, error: "failed", notBefore: 0)
        try store.failJob(unseen, error: "gone", duration: 0)

        let files = { (job: Int64) in SlurmAttemptFiles(spool: spool, outbox: outbox, job: job, attempt: 1) }
        let old = Date().addingTimeInterval(-30 * 86_400)
        for job in jobs {
            let attempt = files(job)
            try FileManager.default.createDirectory(atPath: "\(attempt.work)/step-key/out", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: "\(attempt.staging)/4242", withIntermediateDirectories: true)
            for path in [attempt.description, attempt.script, attempt.output, attempt.outcome, "\(attempt.staging)/4242/p.fits"] {
                try Data("x".utf8).write(to: URL(fileURLWithPath: path))
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
            }
        }
        var settings = SlurmSettings()
        settings.failedOutputFiles = 0
        SlurmSpoolCleanup(spool: spool, outbox: outbox, settings: settings).run(unsettled: try store.unsettledSlurmAttempts())

        let left = Set(try FileManager.default.contentsOfDirectory(atPath: spool))
        for job in [running, unseen] {
            let attempt = files(job)
            for path in [attempt.description, attempt.script, attempt.output, attempt.outcome, attempt.work, attempt.staging] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(path) of an unsettled attempt stays")
            }
        }
        let gone = files(settled)
        XCTAssertTrue(
            [gone.description, gone.script, gone.output, gone.outcome, gone.work, gone.staging].allSatisfy {
                !FileManager.default.fileExists(atPath: $0)
            }, "the settled attempt's files are gone: \(left.sorted())")
    }
}
