import Foundation
import Mustache

/// The outbox's `index.html`: a static page, opened from the filesystem, listing the products by program with
/// their quick-look thumbnails, then the failures and the files not processed. Rendered with a Mustache template
/// whose every value is HTML-escaped, so a header value such as a TARGNAME with markup shows as text.
public enum OutboxPage {
    /// The page's file name in the outbox folder.
    public static let fileName = "index.html"

    private static let template: MustacheTemplate = {
        do { return try MustacheTemplate(string: OutboxPageTemplate.text) } catch {
            preconditionFailure("the outbox page template does not parse: \(error)")
        }
    }()

    /// The page's HTML for `listing`, stamped with the time it was `generated`.
    public static func html(_ listing: OutboxListing, generated: Date = Date()) -> String {
        template.render(PageView(listing, generated: generated))
    }
}
