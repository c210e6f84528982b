import Dispatch
import Foundation
import Platform
import XCTest

/// `PhaseClock` on real threads and real sleeps: a region alone gets all its time, overlapping regions share theirs,
/// and the phases never add up to more than the elapsed time.
final class PhaseClockTests: XCTestCase {
    func testRegionAloneGetsItsWholeTime() {
        let clock = PhaseClock()
        _ = clock.measure(.read) { usleep(20_000) }
        let seconds = Dictionary(uniqueKeysWithValues: clock.seconds.map { ($0.phase, $0.seconds) })
        // usleep sleeps at least as long as asked.
        XCTAssertGreaterThanOrEqual(seconds[.read] ?? 0, 0.020)
        XCTAssertEqual(seconds.filter { $0.key != .read }.values.reduce(0, +), 0)
        XCTAssertLessThanOrEqual(seconds[.read] ?? 0, clock.total)
    }

    func testOverlappingRegionsShareTheWallTime() {
        let clock = PhaseClock()
        let writing = DispatchSemaphore(value: 0), computed = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        Thread {
            clock.measure(.write) {
                writing.signal()
                computed.wait()
            }
            finished.signal()
        }.start()
        writing.wait()
        let before = DispatchTime.now().uptimeNanoseconds
        _ = clock.measure(.compute) { usleep(100_000) }
        let computing = Double(DispatchTime.now().uptimeNanoseconds - before) / 1e9
        computed.signal()
        finished.wait()
        let seconds = Dictionary(uniqueKeysWithValues: clock.seconds.map { ($0.phase, $0.seconds) })
        // The write was open for the whole of the computation, so the computation got half of its time, no more.
        XCTAssertGreaterThanOrEqual(seconds[.compute]!, 0.05)
        XCTAssertLessThanOrEqual(seconds[.compute]!, computing / 2 + 1e-6)
        XCTAssertGreaterThanOrEqual(seconds[.write]!, seconds[.compute]!)
        XCTAssertLessThanOrEqual(seconds.values.reduce(0, +), clock.total)
    }

    func testNoClockJustRuns() {
        let clock: PhaseClock? = nil
        XCTAssertEqual(clock.measure(.decode) { 42 }, 42)
    }
}
