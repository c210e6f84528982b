import Foundation
import OutboxPage
import XCTest

/// The page's HTML from a listing: every value escaped, links relative and encoded, sections only when they have rows.
final class OutboxPageRenderingTests: XCTestCase {
    private func product(_ path: String, target: String? = "NGC 7469", picture: Bool = true, present: Bool = true) -> OutboxListing.Product {
        OutboxListing.Product(path: path, picture: picture ? (path as NSString).deletingPathExtension + ".png" : nil, step: "nsclean",
                              target: target, exposureType: "NRS_IFU", inputs: ["jw01234001001_03101_00001_nrs1_rate.fits"],
                              writtenAt: Date(timeIntervalSince1970: 1_780_000_000), present: present)
    }

    func testHeaderValuesWithMarkupAreEscaped() {
        let hostile = "<script>alert(\"x\")</script>"
        let listing = OutboxListing(
            programs: ["01234": [product("01234/a_nsclean.fits", target: hostile)]],
            failures: [.init(step: "atm", inputs: ["<b>in.fits"], reason: "needs exactly one cube, got 2 <img src=x onerror=alert(1)>",
                             attempts: 3, failedAt: nil)],
            skipped: [.init(name: "jw'quote.fits", state: "skipped", code: "not-a-file", reason: "a FIFO & more")])
        let html = OutboxPage.html(listing)
        XCTAssertFalse(html.contains("<script"), "no script element can come from a header")
        XCTAssertFalse(html.contains("<img src=x"))
        XCTAssertFalse(html.contains("<b>in.fits"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), html)
        XCTAssertTrue(html.contains("got 2 &lt;img src=x onerror=alert(1)&gt;"))
        XCTAssertTrue(html.contains("jw&#39;quote.fits"))
        XCTAssertTrue(html.contains("a FIFO &amp; more"))
        XCTAssertTrue(html.contains("skipped (not-a-file)"))
    }

    func testProductsAreGroupedByProgramWithThumbnailsAndRelativeLinks() throws {
        let listing = OutboxListing(programs: [
            "04242": [product("04242/b c_nsclean.fits"), product("04242/gone_nsclean.fits", picture: false, present: false)],
            "01234": [product("01234/a_nsclean.fits")],
        ])
        let html = OutboxPage.html(listing)
        let first = try XCTUnwrap(html.range(of: "Program 01234 (1)")), second = try XCTUnwrap(html.range(of: "Program 04242 (2)"))
        XCTAssertLessThan(first.lowerBound, second.lowerBound, "programs in order")
        XCTAssertTrue(html.contains("<img src=\"./04242/b%20c_nsclean.png\""), "a space in a name is encoded")
        XCTAssertTrue(html.contains("<a href=\"./01234/a_nsclean.fits\">a_nsclean.fits</a>"))
        XCTAssertTrue(html.contains("no quick-look picture"))
        XCTAssertTrue(html.contains("class=\"missing\">missing from the outbox"))
        XCTAssertTrue(html.contains("3 products"))
        XCTAssertFalse(html.contains("<h2>Failures"), "no failure section without failures")
        XCTAssertFalse(html.contains("Nothing has been processed yet"))
    }

    func testAnEmptyOutboxSaysSo() {
        XCTAssertTrue(OutboxPage.html(OutboxListing()).contains("Nothing has been processed yet."))
    }
}
