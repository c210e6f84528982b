import Platform

/// Wakes a loop that sleeps between rounds of work: `wait(upTo:)` returns after the timeout or as soon as
/// `wake()` is called (a wake with nobody waiting is remembered for the next wait).
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var sleeper: Task<Void, Never>?
    }
    private let state = Locked(State())

    func wake() {
        state.withLock { s in
            if let sleeper = s.sleeper {
                sleeper.cancel()
                s.sleeper = nil
            } else {
                s.pending = true
            }
        }
    }

    func wait(upTo timeout: Duration) async {
        let sleeper = Task<Void, Never> { _ = try? await Task.sleep(for: timeout) }
        let woken = state.withLock { s -> Bool in
            if s.pending { s.pending = false; return true }
            s.sleeper = sleeper
            return false
        }
        if woken { sleeper.cancel() }
        await withTaskCancellationHandler {
            await sleeper.value
        } onCancel: {
            sleeper.cancel()
        }
        state.withLock { s in if s.sleeper == sleeper { s.sleeper = nil } }
    }
}
