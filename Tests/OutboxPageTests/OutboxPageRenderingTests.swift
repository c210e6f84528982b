import Foundation
import OutboxPage
import XCTest

/// The page's HTML from a listing: every value escaped, links relative and encoded, sections only when they have rows.
final class OutboxPageRenderingTests: XCTestCase {
    private func product(_ path: String, target: String? = "NGC 7469", picture: Bool = true, present: Bool = true) -> OutboxListing.Product
    {
        OutboxListing.Product(
            path: path, picture: picture ? (path as NSString).deletingPathExtension + ".png" : nil, step: "nsclean",
            target: target, exposureType: "NRS_IFU", inputs: ["jw01234001001_03101_00001_nrs1_rate.fits"],
            writtenAt: Date(timeIntervalSince1970: 1_780_000_000), present: present)
    }

    func testHeaderValuesWithMarkupAreEscaped() throws {
        let hostile = "<script>alert(\"x\")</script>"
        let listing = OutboxListing(
            programs: ["01234": [product("01234/a_nsclean.fits", target: hostile)]],
            failures: [
                .init(
                    step: "atm", inputs: ["<b>in.fits"], reason: "needs exactly one cube, got 2 <img src=x onerror=alert(1)>",
                    attempts: 3, failedAt: nil)
            ],
            skipped: [.init(name: "jw'quote.fits", state: "skipped", code: "not-a-file", reason: "a FIFO & more")])
        let html = try XCTUnwrap(OutboxPage.pages(listing).first).html
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
        let html = try XCTUnwrap(OutboxPage.pages(listing).first).html
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
        let pages = OutboxPage.pages(OutboxListing())
        XCTAssertEqual(pages.map(\.name), ["index.html"])
        XCTAssertTrue(pages[0].html.contains("Nothing has been processed yet."))
    }

    func testThousandsOfProductsArePagedNewestFirst() throws {
        // 250 products in two programs, one written every minute: product i is the i-th newest.
        var programs: [String: [OutboxListing.Product]] = [:]
        for i in 0..<250 {
            let program = i % 3 == 0 ? "01234" : "04242"
            var entry = product(String(format: "\(program)/p%03d_nsclean.fits", i))
            entry.writtenAt = Date(timeIntervalSince1970: 1_780_000_000 - Double(i) * 60)
            programs[program, default: []].append(entry)
        }
        let failure = OutboxListing.Failure(step: "atm", inputs: ["x_cal.fits"], reason: "bad cube", attempts: 1, failedAt: nil)
        let pages = OutboxPage.pages(OutboxListing(programs: programs, failures: [failure]), productsPerPage: 100)
        XCTAssertEqual(pages.map(\.name), ["index.html", "page-2.html", "page-3.html"])
        for (index, page) in pages.enumerated() {
            let shown = (0..<250).filter { page.html.contains(String(format: "p%03d_nsclean.fits\"", $0)) }
            XCTAssertEqual(shown, Array((index * 100)..<min(250, index * 100 + 100)), "page \(index + 1) holds the next newest")
            XCTAssertTrue(page.html.contains("250 products · page \(index + 1) of 3, newest first"))
            XCTAssertTrue(page.html.contains("<strong>\(index + 1)</strong>"), "the page itself is marked in the links")
            for other in [1, 2, 3] where other != index + 1 {
                XCTAssertTrue(page.html.contains("<a href=\"./\(OutboxPage.fileName(ofPage: other))\">\(other)</a>"))
            }
            XCTAssertEqual(page.html.contains("bad cube"), index == 0, "failures on the first page only")
        }
        XCTAssertLessThan(pages[0].html.utf8.count, 200_000, "a page stays light")
    }

    func testAProductsModeLeadsWithTheInputItIsNamedAfter() {
        let fused = OutboxListing.mode(
            of: "jw01234-o001_t001_nirspec_g235h-f170lp_fused_s3d.fits",
            inputs: [
                ("jw01234-o002_t001_nircam_clear-f200w_i2d.fits", "NRC_IMAGE"),
                ("jw01234-o002_t001_nircam_clear-f150w_i2d.fits", "NRC_IMAGE"),
                ("jw01234-o001_t001_nirspec_g235h-f170lp_s3d.fits", "NRS_IFU"),
            ])
        XCTAssertEqual(fused, "NRS_IFU + NRC_IMAGE", "a fused cube is the NIRSpec cube's mode with the NIRCam images")
        XCTAssertEqual(
            OutboxListing.mode(
                of: "jw01234001001_03101_00001_nrs1_nsclean.fits",
                inputs: [("jw01234001001_03101_00001_nrs1_rate.fits", "NRS_FIXEDSLIT")]), "NRS_FIXEDSLIT")
        XCTAssertNil(OutboxListing.mode(of: "a_b.fits", inputs: [("a_c.fits", "")]), "no type known")
    }
}
