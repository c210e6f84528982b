import FITS
import Foundation
import Pipeline
import TestSupport
import XCTest

@testable import Daemon

/// The Slurm executor with the real daemon binary on a real one-node Slurm cluster started by each test.
final class SlurmTests: XCTestCase {
    func testSlurmSampleConfigurationParsesAndMistakesAreNamed() throws {
        let config = try DaemonConfiguration.load(path: "\(SystemdUnitTests.packageRoot)/etc/slurm.toml")
        XCTAssertEqual(config.executor, .slurm)
        XCTAssertEqual(config.slurm.spool, "/shared/jwst/spool")
        XCTAssertEqual(config.slurm.partition, "batch")
        XCTAssertEqual(config.slurm.account, "jwst-team")
        XCTAssertEqual(config.slurm.timeLimit, "2:00:00")
        XCTAssertEqual(config.slurm.cpusPerTask, 2)
        XCTAssertEqual(config.slurm.sbatchArguments, ["--qos=normal"])
        XCTAssertEqual(config.slurm.command, "/shared/jwst/bin/webbflow")
        XCTAssertEqual(config.slurm.failedOutputDays, 7)
        XCTAssertEqual(config.slurm.failedOutputFiles, 1000)
        XCTAssertNoThrow(try config.validate())
        var noSpool = config
        noSpool.slurm.spool = ""
        XCTAssertThrowsError(try noSpool.validate()) { XCTAssertTrue("\($0)".contains("spool"), "\($0)") }
        XCTAssertThrowsError(try DaemonConfiguration.parse("[slurm]\nqueue = \"x\"")) {
            XCTAssertTrue("\($0)".contains("unknown key 'queue' in [slurm]"), "\($0)")
        }
        XCTAssertThrowsError(try DaemonConfiguration.parse("executor = \"condor\"")) {
            XCTAssertTrue("\($0)".contains("local, slurm"), "\($0)")
        }
    }

    func testJobDescriptionCarriesTheExternalStepAsConfigured() throws {
        let config = try DaemonConfiguration.parse(
            """
            [[external_steps]]
            name = "spec2"
            summary = "jwst Spec2"
            command = ["/opt/jwst/bin/strun", "calwebb_spec2", "{input}", "--output_dir={outdir}"]
            environment = { CRDS_PATH = "/shared/crds", CRDS_SERVER_URL = "https://jwst-crds.stsci.edu" }
            instruments = ["nirspec"]
            exposure_types = ["NRS_IFU", "NRS_FIXEDSLIT"]
            suffixes = ["nsclean", "rate"]
            product_suffix = "cal"
            accept_products = true
            group_by = ["observation", "grating"]
            timeout_seconds = 5400.5
            memory_per_input_byte = 1
            status_keyword = "s_spec2"
            """)
        let definition = try XCTUnwrap(config.externalSteps.first)
        let description = SlurmJobDescription(
            job: Job(step: "spec2", inputs: ["/in/a.fits"]), assignments: [], contentHashes: [:], externalStep: definition,
            pictures: false, staging: "/out/.webbflow-staging/job1.1", workFolders: "/spool/job1.1.work",
            outcome: "/spool/job1.1.outcome.json")
        let decoded = try JSONDecoder().decode(SlurmJobDescription.self, from: try JSONEncoder().encode(description))
        XCTAssertEqual(decoded, description, "the node gets the definition the daemon runs, every field")
        XCTAssertEqual(decoded.externalStep?.instruments, ["NIRSPEC"])
    }

    func testSimulatedProgramThroughSlurmGivesTheLocalExecutorsProducts() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        _ = try WebbflowBinary.output(["simulate", "program", "--out", tree.inbox, "--seed", "11"])

        let local = try WebbflowBinary.start(
            [
                "run", "--inbox", tree.inbox, "--outbox", "\(tree.root)/local-outbox", "--state-dir",
                "\(tree.root)/local-state", "--settle", "0.2", "--group-settle", "1", "--exit-when-idle",
                "--log-target", "stderr",
            ], log: "\(tree.root)/local.log")
        let localFinished = try await WebbflowBinary.wait(local, timeout: 600)
        XCTAssertTrue(localFinished, "the local run finished\n\(tree.log("local.log"))")
        try tree.writeConfig()
        let slurm = try tree.startDaemon(exitWhenIdle: true)
        let slurmFinished = try await WebbflowBinary.wait(slurm, timeout: 600)
        XCTAssertTrue(slurmFinished, "the Slurm run finished\n\(tree.log("daemon.log"))")

        let products = tree.products(in: "\(tree.root)/local-outbox")
        XCTAssertGreaterThanOrEqual(products.count, 4, "the program gives products: \(products)")
        XCTAssertEqual(tree.products(in: tree.outbox), products, "the same products by name")
        for product in products {
            let local = try ScienceData(path: "\(tree.root)/local-outbox/\(product)")
            let remote = try ScienceData(path: "\(tree.outbox)/\(product)")
            XCTAssertFalse(local.units.isEmpty, product)
            XCTAssertEqual(remote.units.map(\.name), local.units.map(\.name), product)
            for (a, b) in zip(local.units, remote.units) {
                XCTAssertTrue(a.bytes == b.bytes, "\(product) \(a.name): the arrays are byte for byte the same")
            }
        }
        // Every job went through Slurm once and completed there.
        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertTrue(report.failed.isEmpty, "no failure: \(report.failed)")
        let submissions = try tree.submissions()
        XCTAssertEqual(submissions.count, report.steps.reduce(0) { $0 + $1.done }, "one submission per job")
        XCTAssertTrue(submissions.allSatisfy { $0.endState == "COMPLETED" && $0.slurmID != nil }, "\(submissions)")
    }

    func testKillNineWhileSlurmJobsRunThenRestartSubmitsNothingTwiceAndLosesNothing() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        _ = try WebbflowBinary.output(["simulate", "program", "--out", tree.inbox, "--seed", "12"])
        try tree.writeConfig()
        // The node is taken, so the daemon's jobs are still queued in Slurm when it dies.
        let holder = cluster.occupyNode(seconds: 8)
        let first = try tree.startDaemon(exitWhenIdle: false)
        try await tree.waitUntil("two jobs are submitted to Slurm", timeout: 60) {
            try tree.submissions().filter { $0.slurmID != nil }.count >= 2
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let beforeKill = try tree.submissions()
        let queued = cluster.command("squeue", ["--noheader", "--format=%j"])
        XCTAssertTrue(queued.contains("webbflow-"), "the daemon's jobs outlive it in Slurm: \(queued)")

        let second = try tree.startDaemon(exitWhenIdle: true)
        let finished = try await WebbflowBinary.wait(second, timeout: 600)
        XCTAssertTrue(finished, "the restarted daemon finished\n\(tree.log("daemon.log"))")
        let log = try String(contentsOfFile: "\(tree.root)/daemon.log", encoding: .utf8)
        XCTAssertTrue(log.contains("following Slurm job"), "the restart followed the jobs it had submitted\n\(log.suffix(3000))")

        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertTrue(report.failed.isEmpty && report.queued.isEmpty && report.running.isEmpty, "nothing lost: \(report.failed)")
        let submissions = try tree.submissions()
        XCTAssertGreaterThanOrEqual(submissions.count, beforeKill.count)
        XCTAssertEqual(Set(submissions.map(\.job)).count, submissions.count, "each job submitted once: \(submissions)")
        XCTAssertTrue(submissions.allSatisfy { $0.endState == "COMPLETED" && $0.slurmID != nil }, "\(submissions)")
        // A job the daemon had claimed but not yet handed to Slurm when it died counts that attempt (its next one is
        // attempt 2); a job it had handed over is followed again under its first Slurm id, never submitted anew.
        for submitted in beforeKill where submitted.slurmID != nil {
            let now = submissions.first { $0.job == submitted.job }
            XCTAssertEqual(now?.attempt, submitted.attempt, "job \(submitted.job) was followed again, not resubmitted")
            XCTAssertEqual(now?.slurmID, submitted.slurmID, "job \(submitted.job) kept its Slurm job")
        }
        // Slurm's own list agrees: every job name it knows, once.
        let names = cluster.jobNames().filter { $0.hasPrefix("webbflow-") }
        XCTAssertEqual(names.count, submissions.count, "Slurm saw one job per submission: \(names)")
        XCTAssertEqual(Set(names).count, names.count, "no job name twice in Slurm: \(names)")
        let products = tree.products(in: tree.outbox)
        XCTAssertEqual(products.count, report.productCount, "every recorded product is there, nothing else")
        for product in products { XCTAssertTrue(FITSStructure.inspect("\(tree.outbox)/\(product)").isComplete, "\(product) is whole") }
        cluster.command("scancel", [holder])
    }

    func testJobCancelledWithScancelIsRetried() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        _ = try WebbflowBinary.output(["simulate", "nirspec-rate", "--out", tree.inbox, "--seed", "13"])
        try tree.writeConfig()
        let holder = cluster.occupyNode(seconds: 60)
        let daemon = try tree.startDaemon(exitWhenIdle: true)
        try await tree.waitUntil("the job is submitted to Slurm", timeout: 60) { try tree.submissions().first?.slurmID != nil }
        let cancelled = try XCTUnwrap(tree.submissions().first?.slurmID)
        let status = try WebbflowBinary.output(["status", "--state-dir", tree.state])
        XCTAssertTrue(status.contains("running  #1 nsclean") && status.contains("(Slurm job \(cancelled))"), status)
        cluster.command("scancel", [String(cancelled)])
        try await tree.waitUntil("the job is submitted again", timeout: 60) { try tree.submissions().count == 2 }
        cluster.command("scancel", [holder])
        let finished = try await WebbflowBinary.wait(daemon, timeout: 300)
        XCTAssertTrue(finished, "the daemon finished\n\(tree.log("daemon.log"))")

        let submissions = try tree.submissions()
        XCTAssertEqual(submissions.map(\.endState), ["CANCELLED", "COMPLETED"], "\(submissions)")
        XCTAssertNotEqual(submissions[1].slurmID, cancelled, "a new Slurm job")
        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertEqual(report.steps.first?.done, 1, "\(report.steps)")
        XCTAssertEqual(report.productCount, 1)
    }

    func testJobOverItsMemoryIsRetriedWithMore() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        _ = try WebbflowBinary.output(["simulate", "nirspec-ifu-cal", "--out", tree.inbox, "--seed", "14"])
        // The test's way over --mem: a memory estimate scaled down to a sliver of what the step takes, so the first
        // attempts are killed by Slurm and each retry asks for twice as much until the job fits.
        try tree.writeConfig(memoryScale: 1.0 / 8, maxAttempts: 6)
        let daemon = try tree.startDaemon(exitWhenIdle: true)
        let finished = try await WebbflowBinary.wait(daemon, timeout: 600)
        XCTAssertTrue(finished, "the daemon finished\n\(tree.log("daemon.log"))")

        let submissions = try tree.submissions()
        XCTAssertEqual(submissions.last?.endState, "COMPLETED", "\(submissions)")
        XCTAssertEqual(submissions.first?.endState, "OUT_OF_MEMORY", "\(submissions)")
        for (before, after) in zip(submissions, submissions.dropFirst()) {
            XCTAssertEqual(after.memoryMB, before.memoryMB * 2, "each attempt after one out of memory asks for twice as much")
        }
        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertEqual(report.productCount, 1)
        XCTAssertTrue(report.failed.isEmpty, "\(report.failed)")
        // The attempts Slurm killed wrote into their staging folders, never into the outbox, and those went with them.
        XCTAssertEqual(tree.products(in: tree.outbox).count, 1, "the product and nothing half-written")
        XCTAssertEqual(tree.stagedEntries(), [])
    }

    func testSubmissionSbatchReportsFailedButSlurmTookIsFollowedNotRepeated() async throws {
        let cluster = try SlurmCluster()
        defer { cluster.stop() }
        let tree = try SlurmTree(cluster: cluster)
        _ = try WebbflowBinary.output(["simulate", "nirspec-rate", "--out", tree.inbox, "--seed", "15"])
        try tree.writeConfig()
        // sbatch as it behaves when the controller takes the job but its answer times out: the job is queued, sbatch
        // says it failed.
        let sbatch = try XCTUnwrap(
            ExternalTool.run("sh", ["-c", "command -v sbatch"])?.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let bin = "\(tree.root)/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try """
        #!/bin/sh
        '\(sbatch)' "$@" || exit
        echo "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation" >&2
        exit 1

        """.write(toFile: "\(bin)/sbatch", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(bin)/sbatch")
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let daemon = try tree.startDaemon(exitWhenIdle: true, environment: ["PATH": "\(bin):\(path)"])
        let finished = try await WebbflowBinary.wait(daemon, timeout: 300)
        XCTAssertTrue(finished, "the daemon finished\n\(tree.log("daemon.log"))")

        XCTAssertTrue(tree.log("daemon.log").contains("Socket timed out"), "sbatch said it failed\n\(tree.log("daemon.log"))")
        let submissions = try tree.submissions()
        XCTAssertEqual(submissions.map(\.endState), ["COMPLETED"], "one attempt, followed to its end: \(submissions)")
        XCTAssertEqual(cluster.jobNames().filter { $0.hasPrefix("webbflow-") }.count, 1, "Slurm ran the job once")
        let report = try StatusReport.read(stateDirectory: tree.state, recent: 1000)
        XCTAssertEqual(report.productCount, 1)
        XCTAssertTrue(report.failed.isEmpty, "\(report.failed)")
    }
}
