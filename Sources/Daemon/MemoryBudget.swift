import FITS
import Foundation
import Numerics
import Pipeline

/// The daemon's memory budget (DESIGN.md "Run"): a job starts only while the estimated peak memory of the jobs
/// running, its own included, fits in the budget, so that two full-frame IFU exposures on a small machine run
/// one after the other rather than together into the OOM killer. A job larger than the whole budget still runs,
/// alone, so nothing waits forever.
final class MemoryBudget: Sendable {
    private let reserved = Locked(0)

    /// Reserves `bytes` when they fit within `limit` beside the reservations held, or when none is held; true
    /// when reserved. The limit is passed each time because a configuration reload may change it.
    func reserve(_ bytes: Int, within limit: Int) -> Bool {
        reserved.withLock { used in
            guard used == 0 || used + bytes <= limit else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) { reserved.withLock { $0 -= bytes } }

    /// Bytes reserved by the jobs running now.
    var inUse: Int { reserved.current }

    /// Three quarters of the memory this process may use: the machine's, or its cgroup's limit (systemd's
    /// `MemoryMax=`) when that is lower. The rest is left to the daemon itself, the page cache and the system.
    static func automaticLimit() -> Int {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        return min(physical, cgroupLimit() ?? physical) / 4 * 3
    }

    /// `memory.max` of this process's cgroup (cgroup v2), nil when unlimited or unknown.
    private static func cgroupLimit() -> Int? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
              let line = membership.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let path = "/sys/fs/cgroup" + line.dropFirst(3) + "/memory.max"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The memory a job is expected to need at its peak: a fixed share for the step's own buffers plus its step's
/// factor (`StepInfo.memoryPerInputByte`) times the size of its inputs, uncompressed.
enum JobMemory {
    /// Taken by any job however small its inputs (plans, tables, one product being written).
    static let baseline = 32 << 20

    static func estimate(_ job: Job, registry: StepRegistry) -> Int {
        let factor = registry.step(named: job.step)?.info.memoryPerInputByte ?? 8
        let bytes = job.inputs.reduce(0) { $0 + uncompressedSize(of: $1) }
        return baseline + Int(factor * Double(bytes))
    }

    /// The file's size; for a `.gz` file the size its gzip trailer records (modulo 4 GiB, as gzip stores it).
    static func uncompressedSize(of path: String) -> Int {
        if path.hasSuffix(".gz"), let size = FITSStructure.gzipUncompressedSize(path) { return Int(size) }
        return FileIdentity.of(path).map { Int($0.size) } ?? 0
    }
}
