import Foundation
import Pipeline

/// Moves the products an attempt staged on its compute node into the outbox, each through the same check as a
/// product the local executor places (`StateStore.recordPendingProduct`): the job is recorded as placing it, or
/// refused with `ProductConflict` when a job on other inputs made or is placing that path. Only the daemon can make
/// the check (the state database stays on its disk), which is why nodes stage instead of placing.
struct SlurmStagedProducts {
    let store: StateStore
    let job: Int64
    let staging: String
    let outbox: String

    /// Places `products` (paths under the staging folder, the same under the outbox) and returns their outbox paths;
    /// each one's quick-look picture follows it. Placing again what an earlier call placed (the daemon died before it
    /// recorded the outcome) finds it in place, still this job's.
    func place(_ products: [String]) throws -> [String] {
        let store = self.store, job = self.job
        let check = AtomicFile.PlacementObserver { try store.recordPendingProduct($0, job: job) }
        return try products.map { product in
            guard !product.hasPrefix("/"), !product.split(separator: "/").contains("..") else {
                throw SlurmJobFailure(
                    description: "the node's outcome names \(product), which is not under the staging folder", retryable: true)
            }
            let staged = "\(staging)/\(product)", final = "\(outbox)/\(product)"
            if FileManager.default.fileExists(atPath: staged) {
                try AtomicFile.$placementObserver.withValue(check) { try move(staged, to: final) }
            } else if FileManager.default.fileExists(atPath: final) {
                try check.willPlace(final)
            } else {
                throw SlurmJobFailure(description: "the product \(product) the node staged is gone from \(staging)", retryable: true)
            }
            let picture = JobRunner.picturePath(besideProductAt: staged)
            if FileManager.default.fileExists(atPath: picture) { try move(picture, to: JobRunner.picturePath(besideProductAt: final)) }
            return final
        }
    }

    /// Renames the whole file `staged` to `final` durably, after the placement observer's say: the file was written
    /// and synced on the node, so nothing is written here.
    private func move(_ staged: String, to final: String) throws {
        let url = URL(fileURLWithPath: final)
        let folder = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try AtomicFile.write(named: url.lastPathComponent, in: folder, temporary: staged, writeSyncs: true) { _ in }
    }
}
