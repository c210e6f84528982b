import Daemon
import Foundation
import XCTest

/// The memory budget decides how many jobs run together: with room for one job at a time, two workers take
/// turns; with the automatic budget they run side by side.
final class MemoryBudgetTests: XCTestCase {
    /// Most jobs seen running at once while four slow scicopy jobs go through the daemon.
    private func peakConcurrency(memoryBudgetMB: Int) async throws -> (peak: Int, products: Int, log: CapturedLog) {
        let harness = try DaemonHarness(settle: 0.2, memoryBudgetMB: memoryBudgetMB, copyDelay: 0.4)
        try await harness.start()
        for exposure in 1...4 {
            let file = try TestExposures.bytes(exposure: exposure)
            _ = try harness.write(file.name, file.data)
        }
        var peak = 0
        try await harness.waitUntil("four products are written", timeout: 60) {
            peak = max(peak, try harness.status().running.count)
            return harness.products().count == 4
        }
        try await harness.stop()
        return (peak, harness.products().count, harness.log)
    }

    func testABudgetForOneJobMakesWorkersTakeTurns() async throws {
        // Each job is estimated at the 32 MB baseline and a little more, so a 50 MB budget holds one job at a time.
        let (peak, products, log) = try await peakConcurrency(memoryBudgetMB: 50)
        XCTAssertEqual(products, 4)
        XCTAssertEqual(peak, 1, "never two jobs at once within a one-job budget")
        XCTAssertTrue(log.contains("waits for memory"), "the wait is logged")
    }

    func testTheAutomaticBudgetLetsBothWorkersRun() async throws {
        let (peak, products, _) = try await peakConcurrency(memoryBudgetMB: 0)
        XCTAssertEqual(products, 4)
        XCTAssertEqual(peak, 2, "small jobs fill both workers")
    }

    func testANegativeBudgetIsRefused() {
        var config = DaemonConfiguration()
        config.inboxes = ["in"]
        config.outbox = "out"
        config.stateDirectory = "state"
        config.memoryBudgetMB = -5
        XCTAssertThrowsError(try config.validate()) { error in
            XCTAssertTrue("\(error)".contains("memory_budget_mb"))
        }
    }
}
