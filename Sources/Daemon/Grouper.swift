import Logging
import Pipeline

/// Gathers the members of multi-file groups (fixed-slit dither sets, NIRCam + NIRSpec fusion sets) and fires a
/// group's job when the step's rule says it is complete, or when it has been quiet for the group settle time and
/// is runnable. A member that arrives later reopens the group; the new job supersedes a queued earlier one and its
/// product replaces the earlier product atomically (same name, written by rename).
struct Grouper: Sendable {
    let context: DaemonContext

    /// Adds a member and fires the group at once if that makes it complete.
    func add(_ file: StateStore.FileRecord, step: any Step, rule: any GroupingRule, key: String) throws {
        let id = "\(step.info.name)/\(key)"
        try context.store.addGroupMember(group: id, step: step.info.name, file: file)
        guard let group = try context.store.openGroups(id: id).first else { return }
        if rule.isComplete(group.members.map(\.kind)) { try fire(group, key: key) }
    }

    /// Fires groups that have been quiet long enough; parks those that cannot run yet.
    func fireQuietGroups(now: Double) throws {
        let quietSince = now - context.config.groupSettleSeconds
        for group in try context.store.openGroups(quietSince: quietSince) {
            guard let rule = context.registry.step(named: group.step)?.grouping else { continue }
            let key = String(group.id.dropFirst(group.step.count + 1))
            if rule.isRunnable(group.members.map(\.kind)) {
                try fire(group, key: key)
            } else {
                try context.store.parkGroup(group.id)
                context.logger.info("group \(group.id) is quiet but not runnable with \(group.members.count) file(s); waiting for more",
                                    metadata: [LogField.group: "\(group.id)", LogField.step: "\(group.step)"])
            }
        }
    }

    private func fire(_ group: GroupRecord, key: String) throws {
        let job = Job(step: group.step, inputs: group.members.map(\.path), group: key)
        try context.store.fireGroup(group, job: job)
        context.logger.info("group \(group.id) queued with \(group.members.count) file(s)",
                            metadata: [LogField.group: "\(group.id)", LogField.step: "\(group.step)", LogField.outcome: "queued"])
        context.schedulerWake.wake()
    }
}
