import Logging
import Pipeline

/// Gathers the members of multi-file groups (fixed-slit dither sets, NIRSpec cubes with the NIRCam images that
/// overlap them) and fires a group's job when the step's rule says it is complete, or when it has been quiet for
/// the group settle time and is runnable. A keyed member joins the group of its key; an anchor opens a group and
/// takes in the recorded candidates the router matches to it; a candidate is recorded and joins every anchor's
/// group it matches, now and as anchors arrive. A member that arrives later reopens the group; the new job
/// supersedes a queued earlier one and its product replaces the earlier product atomically (same name, written by
/// rename).
struct Grouper: Sendable {
    let context: DaemonContext

    /// Adds a file as `membership` says and fires the groups that makes complete.
    func add(_ file: StateStore.FileRecord, to membership: GroupMembership) throws {
        let step = membership.step
        switch membership.role {
        case .keyed(let key):
            let group = JobGroupID(step: step, key: key)
            try context.store.addGroupMember(group: group, file: file)
            try fireIfComplete(group)
        case .anchor(let key, let anchor):
            let group = JobGroupID(step: step, key: key)
            try context.store.addGroupMember(group: group, file: file, anchor: anchor)
            for candidate in try context.store.groupCandidates(step: step)
            where context.router.joins(candidate.traits, anchor: anchor, step: step) {
                try context.store.addGroupMember(group: group, candidate: candidate)
            }
            try fireIfComplete(group)
        case .candidate(let traits):
            let candidate = try context.store.recordGroupCandidate(step: step, traits: traits, file: file)
            let candidates = try context.store.groupCandidates(step: step).map(\.traits)
            for (group, anchor) in try context.store.groupAnchors(step: step) {
                if context.router.joins(traits, anchor: anchor, step: step) {
                    try context.store.addGroupMember(group: group, candidate: candidate)
                    try fireIfComplete(group)
                } else {
                    let reason = context.router.unmatchedReason(of: anchor, among: candidates, step: step)
                    try context.store.updateWaitingReason(group, reason: reason)
                }
            }
        }
    }

    private func fireIfComplete(_ group: JobGroupID) throws {
        guard let record = try context.store.openGroups(id: group).first else { return }
        if context.router.rule(of: group)?.isComplete(record.members.map(\.kind)) == true { try fire(record) }
    }

    /// Fires groups that have been quiet long enough; parks those that cannot run yet, with the reason.
    func fireQuietGroups(now: Double) throws {
        let quietSince = now - context.config.groupSettleSeconds
        for record in try context.store.openGroups(quietSince: quietSince) {
            guard let rule = context.router.rule(of: record.group) else { continue }
            if rule.isRunnable(record.members.map(\.kind)) {
                try fire(record)
            } else {
                let reason = try waitingReason(record)
                try context.store.parkGroup(record.group, reason: reason)
                context.logger.info(
                    "group \(record.group) is quiet but cannot run with \(record.members.count) file(s): \(reason); waiting for more",
                    metadata: [LogField.group: "\(record.group)", LogField.step: "\(record.group.step)"])
            }
        }
    }

    /// Why a quiet group cannot run: for an anchor's group, what each recorded candidate lacked.
    private func waitingReason(_ record: GroupRecord) throws -> String {
        let step = record.group.step
        guard let anchor = record.anchor else { return "not enough members (\(record.members.count) file(s))" }
        return context.router.unmatchedReason(of: anchor, among: try context.store.groupCandidates(step: step).map(\.traits), step: step)
    }

    private func fire(_ record: GroupRecord) throws {
        let job = Job(step: record.group.step, inputs: record.members.map(\.path), group: record.group.key)
        try context.store.fireGroup(record, job: job)
        context.logger.info(
            "group \(record.group) queued with \(record.members.count) file(s)",
            metadata: [LogField.group: "\(record.group)", LogField.step: "\(record.group.step)", LogField.outcome: "queued"])
        context.schedulerWake.wake()
    }
}
