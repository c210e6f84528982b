import Dispatch

/// Runs independent work items (detector lines, columns, slices) on all cores.
public enum Parallel {
    /// Calls `body(i)` for every `i` in `0..<count`, spread over the cores, and returns when all are done.
    /// Work is handed out in contiguous chunks so each worker can reuse its scratch buffers.
    public static func forEach(_ count: Int, chunks: Int? = nil, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = chunks ?? min(count, ProcessInfoCores.count * 4)
        let size = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { chunk in
            let start = chunk * size
            let end = min(count, start + size)
            if start < end { body(start..<end) }
        }
    }
}

/// Number of cores available to this process, read once: glibc answers each query by reading
/// /sys/devices/system/cpu/online anew, and parallel loops ask for every pass.
public enum ProcessInfoCores {
    public static let count = max(1, sysconfCores())
}

private func sysconfCores() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 1
    #endif
}

#if canImport(Glibc)
import Glibc
#endif
