import FITS
import Foundation
import Logging
import Pipeline
import Platform
import ServiceLifecycle
import SystemPackage

/// Takes candidate files from the watcher, waits until each has been quiet for the settle time, checks that it is
/// structurally complete (and carries the extensions its data model implies), identifies it (device, inode, size, mtime, content hash), classifies it and records the
/// verdict — with the job or group the router decides on — in the state store before anything runs.
final class Intake: Service, Sendable {
    private let context: DaemonContext
    private let grouper: Grouper
    /// Candidate path → when it was last reported.
    private let pending = Locked<[String: Double]>([:])
    private let busy = Locked(false)
    private let startupScanQueued = Locked(false)
    /// Files not taken were recorded since the outbox page was last written.
    private let pageStale = Locked(false)
    private let wake = WakeSignal()
    private let realRoots: [String]

    init(context: DaemonContext, roots: [String]) {
        self.context = context
        self.grouper = Grouper(context: context)
        self.realRoots = roots.map { Self.resolved($0) ?? $0 }
    }

    /// A watcher report: the file changed or appeared; its settle time starts again.
    func notice(_ path: String) {
        pending.withLock { $0[path] = StateStore.now }
        wake.wake()
    }

    /// Files waiting for their settle time.
    var waitingCount: Int { pending.withLock { $0.count } }

    /// Called once the watcher has set its watches and reported every file already present.
    func markStartupScanQueued() { startupScanQueued.withLock { $0 = true } }

    /// The startup scan is in, nothing is waiting and nothing is being recorded.
    var isIdle: Bool { startupScanQueued.current && waitingCount == 0 && !busy.current }

    func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let next = turn(now: StateStore.now)
                await wake.wait(upTo: .milliseconds(Int64(max(5, min(1000, next * 1000)))))
            }
        } onGracefulShutdown: {
            self.wake.wake()
        }
    }

    /// One round: takes every settled file, fires quiet groups; returns seconds until the next file settles.
    func turn(now: Double) -> Double {
        let settle = context.config.settleSeconds
        var ready: [String] = []
        var nextReady = Double.infinity
        busy.withLock { $0 = true }
        defer { busy.withLock { $0 = false } }
        pending.withLock { pending in
            for (path, noticed) in pending {
                let modified = FileIdentity.of(path)?.modificationTime ?? noticed
                let readyAt = max(noticed, min(modified, now)) + settle
                if readyAt <= now { ready.append(path) } else { nextReady = min(nextReady, readyAt - now) }
            }
            for path in ready { pending[path] = nil }
        }
        if !ready.isEmpty { take(ready.sorted()) }
        // Files not taken show on the outbox page once their burst is over: rewriting it (two fsyncs) for every
        // batch of a thousand files arriving at once would cost more than taking them.
        if waitingCount == 0,
            pageStale.withLock({ stale in
                defer { stale = false }; return stale
            })
        {
            context.outboxPage.refresh(store: context.store, outbox: context.config.outbox, logger: context.logger)
        }
        do { try grouper.fireQuietGroups(now: now) } catch {
            context.logger.error("cannot fire quiet groups: \(error)")
        }
        return nextReady
    }

    /// Decides on settled files and records them in one transaction. The per-file work (reading headers,
    /// hashing) runs on every core; the decisions that compare files with each other are made in order after it.
    func take(_ paths: [String]) {
        let assessments = Locked([Assessment?](repeating: nil, count: paths.count))
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let assessment = assess(paths[index])
            assessments.withLock { $0[index] = assessment }
        }
        var batch = Batch()
        for assessment in assessments.current.compactMap({ $0 }) { decide(assessment, into: &batch) }
        do {
            try context.store.record(batch.entries)
        } catch {
            // Not recorded means not taken: give the files back so the next round tries again.
            context.logger.error("cannot record \(batch.entries.count) file(s) in the state database: \(error); retrying")
            pending.withLock { p in for (file, _) in batch.entries { p[file.path] = StateStore.now } }
            return
        }
        for (file, job) in batch.entries { log(file, queued: job != nil) }
        for member in batch.groupMembers {
            do {
                try grouper.add(member.file, to: member.group)
                log(member.file, queued: false)
            } catch {
                context.logger.error("cannot record group member \(member.file.path): \(error); retrying")
                notice(member.file.path)
            }
        }
        if batch.entries.contains(where: { $0.job != nil }) { context.schedulerWake.wake() }
        if batch.entries.contains(where: { [.skipped, .duplicate, .incomplete].contains($0.file.state) }) {
            pageStale.withLock { $0 = true }
        }
    }

    /// Files decided in one round, recorded together.
    struct Batch {
        var entries: [(file: StateStore.FileRecord, job: Job?)] = []
        var groupMembers: [(file: StateStore.FileRecord, group: GroupMembership)] = []
        var identities: Set<FileIdentity> = []
        var hashes: [String: String] = [:]
    }

    /// What one settled file is, found without looking at the other files of the round.
    struct Assessment: Sendable {
        enum Finding: Sendable {
            case refused(String, skip: String)
            case unreadable(String)
            case incomplete(String)
            case tooLarge(String)
            case classified(Classification, hash: String, science: Header?)
        }
        var path: String
        var identity: FileIdentity
        var finding: Finding
    }

    /// Identifies, hashes and classifies one file; nil when there is nothing to record (gone or known).
    private func assess(_ path: String) -> Assessment? {
        if path.utf8.count > FileIdentity.longestPath {
            let name = (path as NSString).lastPathComponent
            guard let identity = FileIdentity.ofEntry(named: name, in: (path as NSString).deletingLastPathComponent),
                !isKnown(identity, path: path)
            else { return nil }
            return Assessment(
                path: path, identity: identity,
                finding: .refused(
                    "path of \(path.utf8.count) bytes, longer than the system opens (\(FileIdentity.longestPath)); not read: move it to a shorter path",
                    skip: "path-too-long"))
        }
        let entry = EntryType.of(path)
        if entry == .directory {
            guard let identity = FileIdentity.ofLink(path), !isKnown(identity, path: path) else { return nil }
            return Assessment(
                path: path, identity: identity,
                finding: .refused(
                    "a directory named like a JWST file; its contents are watched like any folder's", skip: "directory"))
        }
        if entry == .symbolicLink, let refusal = symbolicLinkRefusal(path) {
            guard let identity = FileIdentity.ofLink(path), !isKnown(identity, path: path) else { return nil }
            return Assessment(path: path, identity: identity, finding: .refused(refusal, skip: "outside-inbox"))
        }
        if entry == .other {
            // Opening a FIFO would block intake until someone writes to it; a device is no download.
            guard let identity = FileIdentity.ofLink(path), !isKnown(identity, path: path) else { return nil }
            return Assessment(
                path: path, identity: identity,
                finding: .refused(
                    "not a regular file (a FIFO, socket or device) named like a JWST file; not read", skip: "not-a-file"))
        }
        guard entry == .regular || entry == .symbolicLink, let identity = FileIdentity.of(path), !isKnown(identity, path: path) else {
            return nil
        }
        let hash: String
        do { hash = try ContentHash.of(path: path) } catch {
            return Assessment(path: path, identity: identity, finding: .unreadable("\(error)"))
        }
        // One walk over the headers, a compressed file streamed through it: never decompressed whole in memory.
        let limit = path.hasSuffix(".gz") ? context.config.maxUncompressedBytes : .max
        let survey = FITSStructure.survey(path, keepingHeaders: 2, sizeLimit: limit)
        if let refusal = survey.sizeRefusal {
            return Assessment(
                path: path, identity: identity,
                finding: .tooLarge(
                    "compressed file not taken: \(refusal), beyond max_uncompressed_mb = \(limit >> 20); taken again when it changes"))
        }
        let name = context.classifier.name(of: path)
        switch survey.verdict {
        case .incomplete(let why):
            // A download still under way or cut off: that version is parked, not judged.
            return Assessment(path: path, identity: identity, finding: .incomplete(why))
        case .notFITS(let why):
            let classification = Classification(path: path, name: name, kind: nil, verdict: .skip(.damaged, "not a FITS file: \(why)"))
            return Assessment(path: path, identity: identity, finding: .classified(classification, hash: hash, science: nil))
        case .complete:
            let science = survey.headers.count > 1 ? survey.headers[1] : nil
            let classification = context.classifier.classify(primary: survey.headers[0], science: science, name: name, path: path)
            if case .route = classification.verdict, let kind = classification.kind,
                let lacking = ModelCompleteness.lacking(
                    dataModel: survey.headers[0].string("DATAMODL"), suffix: kind.suffix,
                    extensions: survey.extensionNames)
            {
                return Assessment(path: path, identity: identity, finding: .incomplete(lacking))
            }
            return Assessment(path: path, identity: identity, finding: .classified(classification, hash: hash, science: science))
        }
    }

    /// True when this version is already recorded; on a database error the file is tried again later.
    private func isKnown(_ identity: FileIdentity, path: String) -> Bool {
        do {
            guard try context.store.knows(identity) else { return false }
            // A chmod changes no version: one recorded as unreadable is taken again once it can be read.
            guard FileManager.default.isReadableFile(atPath: path), try context.store.forgetUnreadable(identity) else { return true }
            return false
        } catch {
            context.logger.error("state database unreadable: \(error); \(path) is tried again")
            notice(path)
            return true
        }
    }

    /// Turns an assessment into a record, catching files seen twice in one round (links, identical copies).
    private func decide(_ assessment: Assessment, into batch: inout Batch) {
        let path = assessment.path, identity = assessment.identity
        guard batch.identities.insert(identity).inserted else { return }
        func add(_ state: StateStore.FileState, hash: String, reason: String, skip: String? = nil, kind: ExposureKind? = nil) {
            batch.entries.append(
                (
                    .init(
                        path: path, identity: identity, hash: hash, state: state, reason: reason, skipReason: skip,
                        kind: kind), nil
                ))
        }
        let classification: Classification, hash: String, science: Header?
        switch assessment.finding {
        case .refused(let refusal, let skip):
            return add(.skipped, hash: "-", reason: refusal, skip: skip)
        case .unreadable(let why):
            return add(
                .skipped, hash: "-", reason: "cannot be read: \(why); taken again when it changes or becomes readable",
                skip: StateStore.unreadableSkipReason)
        case .incomplete(let why):
            return add(.incomplete, hash: "-", reason: "incomplete FITS file (\(why)); taken again when it changes")
        case .tooLarge(let why):
            return add(.skipped, hash: "-", reason: why, skip: "too-large")
        case .classified(let c, let h, let s):
            (classification, hash, science) = (c, h, s)
        }
        // Only content taken successfully makes a duplicate: a skipped or failed copy must not shadow the real file.
        if let earlier = batch.hashes[hash] ?? (try? context.store.takenFile(withHash: hash)) ?? nil {
            add(.duplicate, hash: hash, reason: "same content as \(earlier), which was already taken")
            return
        }
        switch context.router.decide(classification, science: science) {
        case .skip(let reason, let detail):
            add(.skipped, hash: hash, reason: detail, skip: reason.rawValue, kind: classification.kind)
        case .job(let job):
            batch.hashes[hash] = path
            batch.entries.append(
                (
                    StateStore.FileRecord(
                        path: path, identity: identity, hash: hash, state: .routed, step: job.step,
                        reason: "accepted by step \(job.step)", kind: classification.kind), job
                ))
        case .member(let group):
            batch.hashes[hash] = path
            batch.groupMembers.append(
                (
                    StateStore.FileRecord(
                        path: path, identity: identity, hash: hash, state: .grouped, step: group.step,
                        reason: "member of group \(group)", kind: classification.kind), group
                ))
        }
    }

    /// Why a symbolic link is refused (its target lies outside every inbox, or is missing), or nil when it is fine.
    private func symbolicLinkRefusal(_ path: String) -> String? {
        guard let target = Self.resolved(path) else { return "symbolic link to a missing file" }
        let inside = realRoots.contains { DaemonConfiguration.isInside(target, $0) }
        return inside ? nil : "symbolic link pointing outside the inbox (to \(target)); not followed"
    }

    static func resolved(_ path: String) -> String? {
        FilePath(path).resolved()?.string
    }

    private func log(_ file: StateStore.FileRecord, queued: Bool) {
        var metadata: Logger.Metadata = [LogField.file: "\(file.path)", LogField.outcome: "\(queued ? "queued" : file.state.rawValue)"]
        if let kind = file.kind {
            metadata[LogField.exposureType] = "\(kind.exposureType)"
            metadata[LogField.program] = "\(kind.program)"
        }
        if let step = file.step { metadata[LogField.step] = "\(step)" }
        if let reason = file.skipReason { metadata[LogField.skipReason] = "\(reason)" }
        let name = (file.path as NSString).lastPathComponent
        switch file.state {
        case .routed, .grouped: context.logger.info("\(name): \(file.reason)", metadata: metadata)
        case .skipped, .duplicate, .incomplete: context.logger.notice("\(name): \(file.state.rawValue): \(file.reason)", metadata: metadata)
        }
    }
}
