import Foundation
import Logging
import OutboxPage
import Pipeline
import Platform

/// Rewrites the outbox pages (`index.html`, `page-2.html`…) from the state database after every change they show
/// (a product, a failure, a skipped file, a retry). One refresh at a time: each reads the database after the change
/// it follows, so the last pages placed are never older than the last change.
public final class OutboxPageRefresh: Sendable {
    private let serial = Locked(())

    public init() {}

    /// Rewrites the pages of `outbox`; false, with a warning logged, when they could not be.
    @discardableResult
    public func refresh(store: StateStore, outbox: String, logger: Logger) -> Bool {
        serial.withLock { _ in
            do {
                let pages = OutboxPage.pages(try store.outboxListing(outbox: outbox))
                // The pages are no product: placing them records nothing as pending, whatever task it runs in.
                try AtomicFile.$placementObserver.withValue(AtomicFile.PlacementObserver { _ in }) {
                    for page in pages { try AtomicFile.write(Data(page.html.utf8), named: page.name, in: outbox) }
                }
                try removePages(after: pages.count, in: outbox)
                return true
            } catch {
                logger.warning("cannot rewrite the outbox page \(outbox)/\(OutboxPage.fileName): \(error)")
                return false
            }
        }
    }

    /// Removes the pages beyond the last one, left from when the outbox listed more products.
    private func removePages(after count: Int, in outbox: String) throws {
        var number = count + 1
        while case let path = "\(outbox)/\(OutboxPage.fileName(ofPage: number))", FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
            number += 1
        }
    }
}
