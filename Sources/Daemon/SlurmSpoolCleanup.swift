import Foundation

/// Clears what attempts that are over left in the spool and in the outbox's staging folder. Slurm's output of a failed
/// attempt is kept for a while, for whoever looks into the failure: while it is younger than `failed_output_days`
/// and among the newest `failed_output_files` of them. Everything else of a settled attempt goes: an attempt is
/// settled once the state database has no running job on it and no submission of it waiting for its end.
struct SlurmSpoolCleanup {
    let spool: String
    let outbox: String
    let settings: SlurmSettings

    /// Removes the files of every attempt but those of `unsettled`, keeping the failed attempts' output as the
    /// settings say.
    func run(unsettled: Set<SlurmAttempt>) {
        let manager = FileManager.default, now = Date()
        var outputs: [(path: String, modified: Date)] = []
        for folder in [spool, SlurmAttemptFiles.stagingRoot(outbox: outbox)] {
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
                guard let attempt = SlurmAttemptFiles.attempt(named: name), !unsettled.contains(attempt) else { continue }
                let path = "\(folder)/\(name)"
                if folder == spool, name == "\(SlurmAttemptFiles.name(job: attempt.job, attempt: attempt.attempt)).out" {
                    let modified = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
                    outputs.append((path, modified))
                } else {
                    try? manager.removeItem(atPath: path)
                }
            }
        }
        let oldest = now.addingTimeInterval(-settings.failedOutputDays * 86_400)
        for (index, output) in outputs.sorted(by: { $0.modified > $1.modified }).enumerated()
        where index >= settings.failedOutputFiles || output.modified < oldest {
            try? manager.removeItem(atPath: output.path)
        }
    }
}
