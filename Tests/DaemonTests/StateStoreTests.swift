import Daemon
import Foundation
import Pipeline
import XCTest

/// The state database's guarantees, checked directly: versions are recorded once, a job interrupted by a crash is
/// queued again (once), groups supersede their queued jobs.
final class StateStoreTests: XCTestCase {
    private var folder = ""

    override func setUp() {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("webbflow-store-\(UUID().uuidString)").path
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    private func record(_ path: String, inode: UInt64, size: Int64 = 100) -> StateStore.FileRecord {
        StateStore.FileRecord(
            path: path, identity: FileIdentity(device: 1, inode: inode, size: size, modificationNanoseconds: 5),
            hash: "h\(inode)-\(size)", state: .routed, step: "scicopy", reason: "test")
    }

    func testAJobRunningAtACrashIsQueuedAgainExactlyOnce() throws {
        var store: StateStore? = try StateStore(directory: folder)
        try store?.record(record("/in/a.fits", inode: 1), job: Job(step: "scicopy", inputs: ["/in/a.fits"]))
        let claimed = try XCTUnwrap(store?.claimNextJob())
        XCTAssertEqual(claimed.attempts, 1)
        XCTAssertNil(try store?.claimNextJob(), "a running job is not handed out twice")
        store = nil // the process dies here: the job is still 'running' in the database

        let reopened = try StateStore(directory: folder)
        XCTAssertEqual(try reopened.settleInterruptedJobs(maxAttempts: 3) { _, _ in false }.requeued.map(\.id), [claimed.id])
        let again = try XCTUnwrap(reopened.claimNextJob())
        XCTAssertEqual(again.id, claimed.id, "the same job, not a new one")
        XCTAssertEqual(again.attempts, 2)
        try reopened.finishJob(again.id, products: ["/out/p.fits"], duration: 0.1)
        XCTAssertEqual(try reopened.settleInterruptedJobs(maxAttempts: 3) { _, _ in false }.requeued.count, 0)
        XCTAssertNil(try reopened.claimNextJob())
        let report = try StatusReport.read(stateDirectory: folder)
        XCTAssertEqual(report.steps.first?.done, 1)
        XCTAssertEqual(report.productCount, 1)
    }

    func testAVersionIsKnownByIdentityAndItsContentByHash() throws {
        let store = try StateStore(directory: folder)
        let file = record("/in/a.fits", inode: 7)
        try store.record(file, job: Job(step: "scicopy", inputs: [file.path]))
        XCTAssertTrue(try store.knows(file.identity))
        var newer = file.identity
        newer.size += 2880
        XCTAssertFalse(try store.knows(newer), "a changed file is a new version")
        XCTAssertEqual(try store.takenFile(withHash: file.hash), "/in/a.fits")
        XCTAssertEqual(try store.hash(of: file.identity), file.hash, "a job's input is not hashed again")
        XCTAssertNil(try store.hash(of: newer))
        // A newer version of the same input supersedes the queued job on the old one.
        try store.record(record("/in/a.fits", inode: 7, size: 200), job: Job(step: "scicopy", inputs: [file.path]))
        XCTAssertEqual(try store.activeJobCounts().queued, 1)
    }

    func testARefiredGroupSupersedesItsQueuedJob() throws {
        let store = try StateStore(directory: folder)
        let kind = ExposureKind(primary: .init(), name: ProductName("jw04242001001_03101_00001_nrs1_cal.fits"))
        let id = JobGroupID(step: "pairsum", key: "g")
        for inode in 1...2 {
            var member = record("/in/m\(inode).fits", inode: UInt64(inode))
            member.kind = kind
            member.state = .grouped
            try store.addGroupMember(group: id, file: member)
        }
        let group = try XCTUnwrap(store.openGroups(id: id).first)
        XCTAssertEqual(group.members.count, 2)
        XCTAssertEqual(group.group, id)
        let gathering = try XCTUnwrap(store.statusReport(recent: 10, groupSettleSeconds: 60).groups.first)
        XCTAssertEqual(gathering.group, "pairsum/g")
        XCTAssertEqual(gathering.members, 2)
        let formatter = ISO8601DateFormatter()
        let last = try XCTUnwrap(formatter.date(from: gathering.lastMemberAt)),
            fires = try XCTUnwrap(gathering.firesAt.flatMap(formatter.date))
        XCTAssertEqual(fires.timeIntervalSince(last), 60, accuracy: 1)
        try store.fireGroup(group, job: Job(step: "pairsum", inputs: group.members.map(\.path), group: "g"))
        XCTAssertEqual(try store.openGroupCount(), 0)
        XCTAssertTrue(try store.statusReport(recent: 10, groupSettleSeconds: 60).groups.isEmpty, "a fired group gathers no more")
        var third = record("/in/m3.fits", inode: 3)
        third.kind = kind
        third.state = .grouped
        try store.addGroupMember(group: id, file: third)
        let reopened = try XCTUnwrap(store.openGroups(id: id).first)
        try store.fireGroup(reopened, job: Job(step: "pairsum", inputs: reopened.members.map(\.path), group: "g"))
        XCTAssertEqual(try store.activeJobCounts().queued, 1, "the first group job was superseded")
        XCTAssertEqual(try store.claimNextJob()?.job.inputs.count, 3)
    }
}
