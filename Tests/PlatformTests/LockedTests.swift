import Platform
import XCTest

/// A `Locked` value shared by many threads loses no update.
final class LockedTests: XCTestCase {
    func testConcurrentIncrementsAreAllKept() {
        let counter = Locked(0)
        Parallel.forEach(1_000, chunks: 8) { range in
            for _ in range { counter.withLock { $0 += 1 } }
        }
        XCTAssertEqual(counter.current, 1_000)
    }
}
