import Foundation
import Logging
import Platform
import OutboxPage
import Pipeline

/// Rewrites `outbox/index.html` from the state database after every change it shows (a product, a failure, a
/// skipped file). One refresh at a time: each reads the database after the change it follows, so the last page
/// placed is never older than the last change.
final class OutboxPageRefresh: Sendable {
    private let serial = Locked(())

    func refresh(store: StateStore, outbox: String, logger: Logger) {
        serial.withLock { _ in
            do {
                let html = OutboxPage.html(try store.outboxListing(outbox: outbox))
                // The page is no product: placing it records nothing as pending, whatever task it runs in.
                try AtomicFile.$placementObserver.withValue(AtomicFile.PlacementObserver { _ in }) {
                    try AtomicFile.write(Data(html.utf8), named: OutboxPage.fileName, in: outbox)
                }
            } catch {
                logger.warning("cannot rewrite the outbox page \(outbox)/\(OutboxPage.fileName): \(error)")
            }
        }
    }
}
