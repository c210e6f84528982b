import Synchronization

/// A value shared between tasks and threads, guarded by a `Mutex`: the handle to hold when several objects or
/// escaping closures share the state (a `Mutex` itself can be neither copied nor captured by them).
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) { mutex = Mutex(value) }

    /// Runs `body` with exclusive access to the value.
    @discardableResult
    public func withLock<T>(_ body: (inout sending Value) throws -> sending T) rethrows -> sending T {
        try mutex.withLock { try body(&$0) }
    }
}

extension Locked where Value: Sendable {
    /// A copy of the value as it is now.
    public var current: Value { withLock { $0 } }
}
