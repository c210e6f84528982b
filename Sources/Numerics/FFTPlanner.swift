import CFFTW
import Synchronization

/// Serialises FFTW planning: only `fftw_execute*` is thread-safe, so every plan creation and destruction in
/// Webbflow goes through this lock. Transform wrappers (1-D real, 2-D complex) build on it.
public enum FFTPlanner {
    private static let lock = Mutex(())

    /// Runs `body` (plan creation or destruction) while holding the planner lock.
    public static func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        // The plans stay with the caller: only the call is serialised, nothing is handed over through the lock.
        var outcome: Result<T, E>?
        lock.withLock { _ in outcome = Result(catching: body) }
        return try outcome!.get()
    }
}
