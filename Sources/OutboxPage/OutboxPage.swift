import Foundation
import Mustache

/// The outbox's pages: static HTML files, opened from the filesystem, listing the products newest first with their
/// quick-look thumbnails, by program within each page, then (on the first page) the failures and the files not
/// processed. `index.html` holds the newest products, `page-2.html`… the older ones, so that no page grows with the
/// outbox. Rendered with a Mustache template whose every value is HTML-escaped, so a header value such as a TARGNAME
/// with markup shows as text.
public enum OutboxPage {
    /// The first page's file name in the outbox folder.
    public static let fileName = "index.html"
    /// Products on one page: a page of 100 thumbnails loads at once, and its lazy images as they scroll in.
    public static let productsPerPage = 100

    /// One page as written to the outbox folder.
    public struct File: Sendable, Equatable {
        public let name: String
        public let html: String
    }

    /// The file name of page `number` (1 is `index.html`).
    public static func fileName(ofPage number: Int) -> String { number == 1 ? fileName : "page-\(number).html" }

    /// Every page of `listing`, stamped with the time they were `generated`; always at least the first.
    public static func pages(_ listing: OutboxListing, productsPerPage: Int = productsPerPage, generated: Date = Date()) -> [File] {
        let products = listing.programs.flatMap { program, products in products.map { (program, $0) } }
            .sorted { ($0.1.writtenAt, $0.1.path) > ($1.1.writtenAt, $1.1.path) }
        let chunks = stride(from: 0, to: max(products.count, 1), by: productsPerPage).map {
            Array(products[$0..<min($0 + productsPerPage, products.count)])
        }
        return chunks.enumerated().map { index, chunk in
            let page = PageView(listing, products: chunk, page: index + 1, of: chunks.count, total: products.count, generated: generated)
            return File(name: fileName(ofPage: index + 1), html: template.render(page))
        }
    }

    private static let template: MustacheTemplate = {
        do { return try MustacheTemplate(string: OutboxPageTemplate.text) } catch {
            preconditionFailure("the outbox page template does not parse: \(error)")
        }
    }()
}
