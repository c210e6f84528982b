import Daemon
import Foundation
import Pipeline
import XCTest

/// A state database from before XXH3-128 (FNV-1a 64 hashes, 16 hex digits): the daemon recomputes the hashes of
/// versions still on disk, so a copy of a file taken before the upgrade is still a duplicate, and retires those it
/// cannot recompute, so they shadow nothing.
final class ContentHashMigrationTests: XCTestCase {
    func testEarlierHashesAreRecomputedOrRetired() async throws {
        let harness = try DaemonHarness(settle: 0.2)
        let taken = try TestExposures.bytes(exposure: 1)
        let takenPath = try harness.write(taken.name, taken.data)
        let takenIdentity = try XCTUnwrap(FileIdentity.of(takenPath))
        let goneIdentity = FileIdentity(
            device: takenIdentity.device, inode: takenIdentity.inode &+ 1_000_000, size: 5, modificationNanoseconds: 1)
        do {
            // What the earlier daemon left: the file taken and its job done, and a version since deleted.
            let store = try StateStore(directory: harness.state)
            try store.record(
                .init(
                    path: takenPath, identity: takenIdentity, hash: "651d00b15d97ac4f", state: .routed, step: "scicopy",
                    reason: "accepted by step scicopy"), job: Job(step: "scicopy", inputs: [takenPath]))
            let job = try XCTUnwrap(try store.claimNextJob())
            try store.finishJob(job.id, products: [], duration: 0)
            try store.record(
                .init(
                    path: "\(harness.inbox)/gone.fits", identity: goneIdentity, hash: "0123456789abcdef", state: .routed,
                    step: "scicopy", reason: "accepted by step scicopy"))
        }
        try await harness.start()
        _ = try harness.write(taken.name, in: "again", taken.data)
        try await harness.waitForQuiet(files: 3)
        try await harness.stop()

        let store = try StateStore(directory: harness.state, readOnly: true)
        XCTAssertEqual(try store.hash(of: takenIdentity), try ContentHash.of(path: takenPath), "recomputed as XXH3-128")
        XCTAssertEqual(try store.hash(of: goneIdentity), "fnv1a64:0123456789abcdef", "retired: the file is gone")
        let report = try harness.status()
        XCTAssertEqual(report.files["duplicate"], 1, "the copy of the file taken before the upgrade is a duplicate: \(report.skipped)")
        XCTAssertEqual(report.steps.first { $0.step == "scicopy" }?.done, 1, "nothing ran again")
        XCTAssertTrue(harness.log.contains("1 recomputed, 1 retired (files changed or gone)"))
    }
}
