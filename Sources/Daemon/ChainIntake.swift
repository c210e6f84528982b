import FITS
import Foundation
import Logging
import Pipeline

/// Passes products on to further steps (chains): each product a job wrote is classified like a download and, when
/// the step it is routed to accepts products, recorded with that job as its parent, with the job it needs or in
/// its group; otherwise it is recorded as skipped, so that it is not looked at again. Recording is idempotent: a
/// product already recorded is only given its parent, so a restart passes on exactly what was not yet passed on.
struct ChainIntake: Sendable {
    let context: DaemonContext

    /// Whether any route takes products at all; without one, nothing is recorded.
    var isActive: Bool { !context.productTakers.isEmpty }

    /// Passes on the products of job `parent`.
    func passOn(_ products: [String], from parent: Int64) {
        guard isActive else { return }
        for product in products {
            do { try passOn(product, from: parent) } catch {
                // Left unrecorded: the next start passes it on (`resume`).
                context.logger.error(
                    "cannot pass \(product) on to a further step: \(error); tried again at the next start",
                    metadata: [LogField.file: "\(product)"])
            }
        }
    }

    /// Passes on what finished jobs wrote before the last stop and was not passed on yet.
    func resume() {
        guard isActive else { return }
        do {
            let pending = try context.store.productsNotPassedOn()
            if !pending.isEmpty { context.logger.notice("passing on \(pending.count) product(s) written before the last stop") }
            for (job, path) in pending { passOn([path], from: job) }
        } catch {
            context.logger.error("cannot list the products still to pass on: \(error)")
        }
    }

    private func passOn(_ path: String, from parent: Int64) throws {
        guard let identity = FileIdentity.of(path) else { return }
        if try context.store.knows(identity) { return try context.store.markParent(identity, parent: parent) }
        let survey = FITSStructure.survey(path, keepingHeaders: 2)
        guard survey.verdict.isComplete, let primary = survey.headers.first else { return }
        let science = survey.headers.count > 1 ? survey.headers[1] : nil
        var classification = context.classifier.classify(
            primary: primary, science: science, name: context.classifier.name(of: path),
            path: path)
        // The first step whose route matches decides, as for downloads; it takes the product only if it accepts products.
        if case .route(let step) = classification.verdict, !context.productTakers.contains(step) {
            classification.verdict = .skip(.unsupportedMode, "step \(step) takes downloads only (no accept_products)")
        }
        var file = StateStore.FileRecord(
            path: path, identity: identity, hash: try ContentHash.of(path: path), state: .skipped,
            reason: "", kind: classification.kind)
        var metadata: Logger.Metadata = [LogField.file: "\(path)", LogField.job: "\(parent)"]
        switch context.router.decide(classification, science: science) {
        case .skip(let reason, let detail):
            // The end of its chain: recorded, so that no restart looks at it again.
            file.reason = "product of job \(parent), not taken further: \(detail)"
            file.skipReason = reason.rawValue
            return try record(file, job: nil, parent: parent)
        case .job(let job):
            metadata[LogField.step] = "\(job.step)"
            file.step = job.step
            file.state = .routed
            file.reason = "product of job \(parent), taken by step \(job.step)"
            try record(file, job: job, parent: parent)
            context.schedulerWake.wake()
        case .member(let group):
            metadata[LogField.step] = "\(group.step)"
            file.step = group.step
            file.state = .grouped
            file.reason = "product of job \(parent), member of group \(group)"
            try Grouper(context: context).add(file, to: group)
            try context.store.markParent(identity, parent: parent)
        }
        context.logger.info("\((path as NSString).lastPathComponent): \(file.reason)", metadata: metadata)
    }

    /// Records the product like a download, then its parent: a stop in between leaves it known without a parent,
    /// which the next start's `resume` adds.
    private func record(_ file: StateStore.FileRecord, job: Job?, parent: Int64) throws {
        try context.store.record(file, job: job)
        try context.store.markParent(file.identity, parent: parent)
    }
}
