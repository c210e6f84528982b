import Platform
import XCTest

/// Parallel loops hand out every index exactly once, and reductions do not depend on how work was scheduled.
final class ParallelTests: XCTestCase {
    func testForEachVisitsEveryIndexOnce() {
        let count = 10_000
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        hits.initialize(repeating: 0)
        defer { hits.deallocate() }
        let shared = SharedBuffer(hits)
        Parallel.forEach(count) { range in for i in range { shared[i] += 1 } }
        XCTAssertEqual(hits.reduce(0, +), count)
        XCTAssertTrue(hits.allSatisfy { $0 == 1 })
    }

    func testSumAddsEveryTermOfEveryIndex() {
        // Σ i and Σ i² over 0..<n have closed forms; both are exact in Double at this size.
        let n = 100_001
        let sums = Parallel.sum(n, width: 2, chunks: 7) { range in
            var partial = [0.0, 0.0]
            for i in range { partial[0] += Double(i); partial[1] += Double(i * i) }
            return partial
        }
        XCTAssertEqual(sums[0], Double(n * (n - 1) / 2))
        XCTAssertEqual(sums[1], Double((n - 1) * n * (2 * n - 1) / 6))
    }

    func testSumIsTheSameWhateverTheScheduling() {
        let terms = (0..<50_000).map { 1 / Double($0 + 1) }
        let first = Parallel.sum(terms.count, width: 1) { range in [range.reduce(0.0) { $0 + terms[$1] }] }
        for _ in 0..<20 {
            let again = Parallel.sum(terms.count, width: 1) { range in [range.reduce(0.0) { $0 + terms[$1] }] }
            XCTAssertEqual(again[0].bitPattern, first[0].bitPattern)
        }
    }
}
