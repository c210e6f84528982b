import Dispatch
import Platform

/// A value computed on another thread while the caller goes on with other work; reading `value` waits for it.
///
/// For set-up that is serial but independent of what comes before its first use, such as planning FFTs (which
/// FFTW does under one lock, ~15 ms for NSClean's two lengths) while an image is being transposed and masked.
public final class Background<Value: Sendable>: Sendable {
    private let result = Locked<Value?>(nil)
    private let done = DispatchGroup()

    /// Starts `work` at once on a global queue.
    public init(_ work: @escaping @Sendable () -> Value) {
        let result = self.result
        DispatchQueue.global().async(group: done) {
            let value = work()
            result.withLock { $0 = value }
        }
    }

    /// A value that is already known.
    public init(ready value: Value) {
        result.withLock { $0 = value }
    }

    /// The value, once `work` has finished.
    public var value: Value {
        done.wait()
        guard let value = result.current else { preconditionFailure("background work finished without a value") }
        return value
    }
}
