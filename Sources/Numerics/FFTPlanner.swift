import CFFTW
import Foundation

/// Serialises FFTW planning: only `fftw_execute*` is thread-safe, so every plan creation and destruction in
/// Webbflow goes through this lock. Transform wrappers (1-D real, 2-D complex) build on it.
public enum FFTPlanner {
    private static let lock = NSLock()

    /// Runs `body` (plan creation or destruction) while holding the planner lock.
    public static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
