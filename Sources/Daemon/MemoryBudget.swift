import FITS
import Foundation
import Pipeline
import Platform

/// The daemon's memory budget (DESIGN.md "Run"): a job starts only while the estimated peak memory of the jobs
/// running, its own included, fits in the budget, so that two full-frame IFU exposures on a small machine run
/// one after the other rather than together into the OOM killer. A job larger than the whole budget is refused
/// before it runs (`JobMemory.refusal`), so one huge input cannot take the daemon down at every restart.
final class MemoryBudget: Sendable {
    private let reserved = Locked(0)

    /// Reserves `bytes` when they fit within `limit` beside the reservations held; true when reserved. The limit
    /// is passed each time because a configuration reload may change it.
    func reserve(_ bytes: Int, within limit: Int) -> Bool {
        reserved.withLock { used in
            guard used + bytes <= limit else { return false }
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
            let line = membership.split(separator: "\n").first(where: { $0.hasPrefix("0::") })
        else { return nil }
        let path = "/sys/fs/cgroup" + line.dropFirst(3) + "/memory.max"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// The memory a job is expected to need at its peak: a fixed share for the step's own buffers plus its step's
/// factor (`StepManifest.memoryPerInputByte`) times the size of its inputs, uncompressed.
enum JobMemory {
    /// Taken by any job however small its inputs (plans, tables, one product being written).
    static let baseline = 32 << 20

    static func estimate(_ job: Job, registry: StepRegistry) -> Int {
        baseline + Int(factor(job, registry: registry) * Double(inputBytes(job)))
    }

    /// Why `job` can never run within `budget` bytes, with the sizes; nil when it fits.
    static func refusal(_ job: Job, needs bytes: Int, budget: Int, registry: StepRegistry) -> String? {
        guard bytes > budget else { return nil }
        return
            "needs about \(bytes >> 20) MB at its peak (\(inputBytes(job) >> 20) MB of input uncompressed, × \(factor(job, registry: registry)) for step \(job.step), + \(baseline >> 20) MB), more than the whole memory budget of \(budget >> 20) MB; not run"
    }

    private static func factor(_ job: Job, registry: StepRegistry) -> Double {
        registry.step(named: job.step)?.manifest.memoryPerInputByte ?? 8
    }

    private static func inputBytes(_ job: Job) -> Int {
        job.inputs.reduce(0) { $0 + uncompressedSize(of: $1) }
    }

    /// The file's size; for a `.gz` file the size its headers announce decompressed (the gzip trailer holds it only
    /// modulo 4 GiB), found once per file version by a streaming walk over them.
    static func uncompressedSize(of path: String) -> Int {
        guard let identity = FileIdentity.of(path) else { return 0 }
        guard path.hasSuffix(".gz") else { return Int(identity.size) }
        if let known = decompressedSizes.withLock({ $0[identity] }) { return known }
        let size = FITSStructure.survey(path, keepingHeaders: 0).announcedBytes
        decompressedSizes.withLock { $0[identity] = size }
        return size
    }

    private static let decompressedSizes = Locked<[FileIdentity: Int]>([:])
}
