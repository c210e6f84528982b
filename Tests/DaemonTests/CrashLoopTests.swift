import Daemon
import FITS
import Foundation
import XCTest

/// No crash loop: a job the daemon keeps dying in fails for good after max_attempts, and a job larger than the
/// whole memory budget is refused before it runs, with the sizes, while the other files go through.
final class CrashLoopTests: XCTestCase {
    func testAJobTheDaemonDiesInEveryTimeFailsAfterMaxAttempts() async throws {
        let tree = try DaemonTree("webbflow-dying")
        // A full-frame rate file: its job runs long enough (about a second) to be killed in the middle.
        _ = try WebbflowBinary.output(["simulate", "nirspec-rate", "--out", tree.inbox, "--seed", "5"])
        let input = try XCTUnwrap(
            FileManager.default.enumerator(atPath: tree.inbox)?.allObjects.compactMap { $0 as? String }
                .first { $0.hasSuffix("_rate.fits") })
        let name = (input as NSString).lastPathComponent
        for attempt in 1...3 {
            let daemon = try tree.start()
            let started = try await tree.waitForLog("nsclean started on \(name)", count: attempt)
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
            XCTAssertTrue(started, "attempt \(attempt) started\n\(tree.log.suffix(2000))")
            XCTAssertNil(tree.product(of: name), "killed before its product was placed")
        }
        try await tree.runUntilIdle()

        XCTAssertEqual(tree.occurrences("nsclean started on \(name)"), 3, "no fourth attempt\n\(tree.log.suffix(2000))")
        XCTAssertFalse(tree.log.contains("attempt 4"))
        let failed = try XCTUnwrap(try tree.status().failed.first)
        XCTAssertEqual(failed.error, "the daemon died during this job 3 times")
        let reports = try FileManager.default.contentsOfDirectory(atPath: "\(tree.state)/failed").filter { $0.hasSuffix(".error.json") }
        XCTAssertEqual(reports.count, 1, "the failure has its report")
    }

    func testAJobLargerThanTheMemoryBudgetIsRefusedBeforeItRuns() async throws {
        let tree = try DaemonTree("webbflow-huge")
        let small = try tree.put(exposure: 1)
        // 2 GiB of SCI on disk as a sparse file: NSClean would need four times that.
        let huge = try TestExposures.sparse(exposure: 2, side: 23_170, in: tree.inbox)
        // Under a 3 GiB address-space limit, running the huge job would kill the daemon rather than the machine.
        let status = try await tree.runUntilIdle(["--memory-budget-mb", "1024"], launcher: ["/usr/bin/prlimit", "--as=\(3 << 30)", "--"])
        XCTAssertEqual(status, 0, "the daemon stayed up\n\(tree.log.suffix(3000))")

        let hugeName = (huge as NSString).lastPathComponent
        XCTAssertEqual(tree.occurrences("nsclean started on \(hugeName)"), 0, "the huge job never started")
        let failed = try XCTUnwrap(try tree.status().failed.first)
        XCTAssertEqual(failed.inputs, [huge])
        let error = try XCTUnwrap(failed.error)
        let inputMB = try XCTUnwrap(FileIdentity.of(huge)).size >> 20
        XCTAssertEqual(inputMB, 2048)
        XCTAssertTrue(
            error.contains("\(inputMB) MB of input") && error.contains("memory budget of 1024 MB"),
            "the reason gives the sizes: \(error)")
        XCTAssertEqual(failed.attempts, 1, "refused once, not retried")
        XCTAssertNotNil(tree.product(of: small), "the other file was processed")
    }
}
