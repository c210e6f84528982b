import Foundation
import Platform

/// What the daemon is doing right now, for STATUS= lines: running jobs with their progress and the last product.
final class ActivityBoard: Sendable {
    private struct State {
        var running: [Int64: String] = [:]
        var lastProduct: String?
        var productsWritten = 0
    }
    private let state = Locked(State())
    let inboxCount: Int

    init(inboxCount: Int) { self.inboxCount = inboxCount }

    func started(job id: Int64, note: String) { state.withLock { $0.running[id] = note } }
    func progress(job id: Int64, note: String) { state.withLock { $0.running[id] = note } }
    func ended(job id: Int64, products: [String]) {
        state.withLock { s in
            s.running[id] = nil
            if let last = products.last { s.lastProduct = (last as NSString).lastPathComponent }
            s.productsWritten += products.count
        }
    }

    /// "watching 2 inboxes, 3 queued, 1 running (atm 40% jw…), 12 products, last: jw…_atm.fits".
    func statusLine(queued: Int, waitingFiles: Int) -> String {
        state.withLock { s in
            var parts = ["watching \(inboxCount) inbox\(inboxCount == 1 ? "" : "es")", "\(queued) queued"]
            if waitingFiles > 0 { parts.append("\(waitingFiles) settling") }
            let notes = s.running.keys.sorted().compactMap { s.running[$0] }
            parts.append(notes.isEmpty ? "idle" : "\(notes.count) running (\(notes.joined(separator: "; ")))")
            parts.append("\(s.productsWritten) products")
            if let last = s.lastProduct { parts.append("last: \(last)") }
            return parts.joined(separator: ", ")
        }
    }
}
