import FITS
import Foundation
import Logging
import Pipeline

/// Passes products on to further steps (chains): each product a job wrote is classified against the routes that
/// accept products, and recorded with that job as its parent — with the job it needs, or in its group — or, when
/// no such route takes it, recorded as skipped so that it is not looked at again. Recording is idempotent: a
/// product already recorded is only given its parent, so a restart passes on exactly what was not yet passed on.
struct ChainIntake: Sendable {
    let context: DaemonContext

    /// Whether any route takes products at all; without one, nothing is recorded.
    var isActive: Bool { !context.productClassifier.routing.rules.isEmpty }

    /// Passes on the products of job `parent`.
    func passOn(_ products: [String], from parent: Int64) {
        guard isActive else { return }
        for product in products {
            do { try passOn(product, from: parent) } catch {
                // Left unrecorded: the next start passes it on (`resume`).
                context.logger.error("cannot pass \(product) on to a further step: \(error); tried again at the next start",
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
        let hash = try ContentHash.of(path: path)
        let classification = context.productClassifier.classify(primary: primary, science: survey.headers.count > 1 ? survey.headers[1] : nil,
                                                                name: ProductName(path), path: path)
        var file = StateStore.FileRecord(path: path, identity: identity, hash: hash, state: .skipped,
                                         reason: "product of job \(parent); no route takes it further", skipReason: "product",
                                         kind: classification.kind)
        var metadata: Logger.Metadata = [LogField.file: "\(path)", LogField.job: "\(parent)"]
        guard case .route(let stepName) = classification.verdict, let step = context.registry.step(named: stepName),
              let kind = classification.kind else {
            return try record(file, job: nil, parent: parent)
        }
        metadata[LogField.step] = "\(stepName)"
        file.step = stepName
        file.state = .routed
        file.reason = "product of job \(parent), taken by step \(stepName)"
        if let rule = step.grouping, let key = rule.groupKey(for: kind, science: survey.headers.count > 1 ? survey.headers[1] : nil) {
            file.state = .grouped
            file.reason = "product of job \(parent), member of group \(stepName)/\(key)"
            try Grouper(context: context).add(file, step: step, rule: rule, key: key)
            try context.store.markParent(identity, parent: parent)
        } else if step.grouping != nil {
            file.state = .skipped
            file.reason = "product of job \(parent): step \(stepName) cannot group it with others"
            file.skipReason = SkipReason.unsupportedMode.rawValue
            try record(file, job: nil, parent: parent)
        } else {
            try record(file, job: Job(step: stepName, inputs: [path]), parent: parent)
            context.schedulerWake.wake()
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
