import Logging
import Pipeline

/// Gathers the members of multi-file groups (fixed-slit dither sets, NIRCam + NIRSpec fusion sets) and fires a
/// group's job when the step's rule says it is complete, or when it has been quiet for the group settle time and
/// is runnable. A member that arrives later reopens the group; the new job supersedes a queued earlier one and its
/// product replaces the earlier product atomically (same name, written by rename).
struct Grouper: Sendable {
    let context: DaemonContext

    /// Adds a member and fires the group at once if that makes it complete.
    func add(_ file: StateStore.FileRecord, to group: GroupID) throws {
        try context.store.addGroupMember(group: group, file: file)
        guard let record = try context.store.openGroups(id: group).first else { return }
        if context.router.rule(of: group)?.isComplete(record.members.map(\.kind)) == true { try fire(record) }
    }

    /// Fires groups that have been quiet long enough; parks those that cannot run yet.
    func fireQuietGroups(now: Double) throws {
        let quietSince = now - context.config.groupSettleSeconds
        for record in try context.store.openGroups(quietSince: quietSince) {
            guard let rule = context.router.rule(of: record.group) else { continue }
            if rule.isRunnable(record.members.map(\.kind)) {
                try fire(record)
            } else {
                try context.store.parkGroup(record.group)
                context.logger.info("group \(record.group) is quiet but not runnable with \(record.members.count) file(s); waiting for more",
                                    metadata: [LogField.group: "\(record.group)", LogField.step: "\(record.group.step)"])
            }
        }
    }

    private func fire(_ record: GroupRecord) throws {
        let job = Job(step: record.group.step, inputs: record.members.map(\.path), group: record.group.key)
        try context.store.fireGroup(record, job: job)
        context.logger.info("group \(record.group) queued with \(record.members.count) file(s)",
                            metadata: [LogField.group: "\(record.group)", LogField.step: "\(record.group.step)", LogField.outcome: "queued"])
        context.schedulerWake.wake()
    }
}
