import Dispatch
import Synchronization

/// Splits one job's wall time among the phases it spends it in (reading the input, verifying checksums, decoding,
/// the step's computation, encoding, writing and syncing the product), for `webbflow process --timings`: the
/// measurement that says which phase the next optimisation should go to.
///
/// Code marks the phase it is in with `measure`; regions may run on several threads at once. Wall time is shared
/// among the regions open at each moment (a moment when compute and a background write are both open counts half
/// to each), so the phases never add up to more than the elapsed time, and time in no region (parsing parameters,
/// planning) is simply not attributed. Marking costs one lock per region entry and exit: regions are whole reads,
/// HDUs and writes, tens per job.
public final class PhaseClock: Sendable {
    /// Where a job's time goes, in the order a job passes through them.
    public enum Phase: Int, CaseIterable, Sendable {
        case read, checksum, decode, compute, encode, write, fsync

        /// The name printed for the phase.
        public var name: String { String(describing: self) }
    }

    private struct State {
        var open = [Int](repeating: 0, count: Phase.allCases.count)
        var nanoseconds = [Double](repeating: 0, count: Phase.allCases.count)
        var last: UInt64

        /// Shares the time since the last change among the regions open during it.
        mutating func advance(to now: UInt64) {
            let regions = open.reduce(0, +)
            if regions > 0 {
                let share = Double(now - last) / Double(regions)
                for phase in open.indices where open[phase] > 0 { nanoseconds[phase] += share * Double(open[phase]) }
            }
            last = now
        }
    }

    private let started: UInt64
    private let state: Mutex<State>

    /// A clock whose total starts now.
    public init() {
        let now = DispatchTime.now().uptimeNanoseconds
        started = now
        state = Mutex(State(last: now))
    }

    /// Runs `body` as a region of `phase`.
    public func measure<T, E: Error>(_ phase: Phase, _ body: () throws(E) -> T) throws(E) -> T {
        enter(phase)
        defer { leave(phase) }
        return try body()
    }

    /// Runs `body` as a region of `phase` (the step's computation, which is asynchronous).
    public func measure<T>(_ phase: Phase, _ body: () async throws -> T) async rethrows -> T {
        enter(phase)
        defer { leave(phase) }
        return try await body()
    }

    /// Seconds attributed to each phase so far, in phase order.
    public var seconds: [(phase: Phase, seconds: Double)] {
        let totals = state.withLock { state in
            state.advance(to: DispatchTime.now().uptimeNanoseconds)
            return state.nanoseconds
        }
        return Phase.allCases.map { ($0, totals[$0.rawValue] / 1e9) }
    }

    /// Seconds since the clock was made.
    public var total: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    private func enter(_ phase: Phase) {
        // Read under the lock, so that no other thread has moved `last` past it.
        state.withLock { state in
            state.advance(to: DispatchTime.now().uptimeNanoseconds)
            state.open[phase.rawValue] += 1
        }
    }

    private func leave(_ phase: Phase) {
        // Read under the lock, so that no other thread has moved `last` past it.
        state.withLock { state in
            state.advance(to: DispatchTime.now().uptimeNanoseconds)
            state.open[phase.rawValue] -= 1
        }
    }
}

extension Optional where Wrapped == PhaseClock {
    /// Runs `body`, as a region of `phase` when there is a clock: call sites stay the same whether or not the job
    /// is being timed.
    public func measure<T, E: Error>(_ phase: PhaseClock.Phase, _ body: () throws(E) -> T) throws(E) -> T {
        guard let clock = self else { return try body() }
        return try clock.measure(phase, body)
    }

    /// Runs the asynchronous `body`, as a region of `phase` when there is a clock.
    public func measure<T>(_ phase: PhaseClock.Phase, _ body: () async throws -> T) async rethrows -> T {
        guard let clock = self else { return try await body() }
        return try await clock.measure(phase, body)
    }
}
