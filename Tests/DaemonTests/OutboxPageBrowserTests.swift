import Daemon
import FITS
import Foundation
import OutboxPage
import Pipeline
import TestSupport
import XCTest

/// The outbox page the real daemon writes, opened in headless Chromium from the filesystem.
final class OutboxPageBrowserTests: XCTestCase {
    func testEveryProductAndItsThumbnailIsOnThePageAndHeaderMarkupStaysText() async throws {
        let tree = try DaemonTree("webbflow-outbox-page")
        let chromium = try HeadlessChromium(scratch: tree.scratch)
        let hostile = "<script>alert(1)</script>"
        for (exposure, program, target) in [(1, 4242, hostile), (2, 4242, "NGC 7469"), (3, 1234, "SIM-TARGET")] {
            let file = try TestExposures.bytes(exposure: exposure, program: program, target: target)
            try TestExposures.writeInPlace(file.data, to: "\(tree.inbox)/\(file.name)")
        }
        let acquisition = try TestExposures.bytes(exposure: 4, type: "NRS_TACQ")
        try TestExposures.writeInPlace(acquisition.data, to: "\(tree.inbox)/\(acquisition.name)")
        try await tree.runUntilIdle()

        let products = tree.products()
        XCTAssertEqual(products.count, 3, "\(products)\n\(tree.log.suffix(2000))")
        let page = "\(tree.outbox)/\(OutboxPage.fileName)"
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertFalse(html.contains("<script"), "TARGNAME's markup must not become an element")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "TARGNAME is shown, escaped")

        let dom = try chromium.dom(of: page)
        XCTAssertFalse(dom.contains("<script"), "the browser's DOM holds no script element")
        XCTAssertTrue(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the browser shows TARGNAME as text")
        let listing = try StateStore(directory: tree.state, readOnly: true).outboxListing(outbox: tree.outbox)
        for product in products {
            let name = (product as NSString).lastPathComponent
            let picture = JobRunner.picturePath(besideProductAt: product)
            XCTAssertTrue(dom.contains("<a href=\"./\(product)\">\(name)</a>"), "\(name) is listed")
            XCTAssertTrue(dom.contains("<img src=\"./\(picture)\""), "\(name)'s thumbnail is shown")
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(tree.outbox)/\(picture)"), "\(picture) exists")
            // Recorded in the state database and named in the product's provenance.
            let program = (product as NSString).deletingLastPathComponent
            XCTAssertEqual(listing.programs[program]?.first { $0.path == product }?.picture, picture)
            let header = try FITSFile(path: "\(tree.outbox)/\(product)").header(at: 0)
            XCTAssertEqual(header.string("WBF_PICT"), (picture as NSString).lastPathComponent)
        }
        XCTAssertEqual(Set(listing.programs.keys), ["04242", "01234"])
        XCTAssertTrue(dom.contains("Program 04242 (2)") && dom.contains("Program 01234 (1)"), "products grouped by program")
        XCTAssertTrue(dom.contains(acquisition.name) && dom.contains("skipped (target-acquisition)"), "the skipped file and its reason")

        let screenshot = tree.scratch.file("outbox.png")
        try chromium.screenshot(of: page, to: screenshot)
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        // A blank page of this size compresses to a few kilobytes; thumbnails and text make it much larger.
        XCTAssertGreaterThan(png.count, 50_000)
    }

    func testPicturesOffInTheConfigLeavesThemOutOfOutboxAndPage() async throws {
        let tree = try DaemonTree("webbflow-no-pictures")
        let config = tree.scratch.file("webbflow.toml")
        try "pictures = false\n".write(toFile: config, atomically: true, encoding: .utf8)
        let file = try TestExposures.bytes(exposure: 1)
        try TestExposures.writeInPlace(file.data, to: "\(tree.inbox)/\(file.name)")
        try await tree.runUntilIdle(["--config", config])
        let products = tree.products()
        XCTAssertEqual(products.count, 1, String(tree.log.suffix(2000)))
        let everything = FileManager.default.enumerator(atPath: tree.outbox)?.allObjects as? [String] ?? []
        XCTAssertFalse(everything.contains { $0.hasSuffix(".png") }, "\(everything)")
        let html = try String(contentsOfFile: "\(tree.outbox)/\(OutboxPage.fileName)", encoding: .utf8)
        XCTAssertTrue(html.contains("no quick-look picture"))
        let header = try FITSFile(path: "\(tree.outbox)/\(products[0])").header(at: 0)
        XCTAssertNil(header.string("WBF_PICT"))
    }

    func testOlderProductsGoToFurtherPagesTheBrowserFollows() async throws {
        let tree = try DaemonTree("webbflow-outbox-pages")
        let chromium = try HeadlessChromium(scratch: tree.scratch)
        for exposure in 1...3 { try tree.put(exposure: exposure) }
        try await tree.runUntilIdle()
        let products = tree.products()
        XCTAssertEqual(products.count, 3, String(tree.log.suffix(2000)))
        // The daemon's own pages hold 100 products each; the same listing two to a page shows the paging in a browser.
        let listing = try StateStore(directory: tree.state, readOnly: true).outboxListing(outbox: tree.outbox)
        XCTAssertEqual(listing.programs["04242"]?.map(\.exposureType), ["NRS_IFU", "NRS_IFU", "NRS_IFU"], "each product's mode")
        let pages = OutboxPage.pages(listing, productsPerPage: 2)
        XCTAssertEqual(pages.map(\.name), ["index.html", "page-2.html"])
        for page in pages { try page.html.write(toFile: "\(tree.outbox)/\(page.name)", atomically: true, encoding: .utf8) }
        let first = try chromium.dom(of: "\(tree.outbox)/index.html"), second = try chromium.dom(of: "\(tree.outbox)/page-2.html")
        let newestFirst = listing.programs["04242", default: []].sorted { $0.writtenAt > $1.writtenAt }.map(\.path)
        for (index, product) in newestFirst.enumerated() {
            let name = (product as NSString).lastPathComponent
            XCTAssertEqual(first.contains(">\(name)</a>"), index < 2, "\(name) on the first page")
            XCTAssertEqual(second.contains(">\(name)</a>"), index >= 2, "\(name) on the second page")
        }
        XCTAssertTrue(
            first.contains("<a href=\"./page-2.html\">2</a>") && second.contains("<a href=\"./index.html\">1</a>"), "pages link each other")
    }

    func testRetryRewritesThePageAtOnce() async throws {
        let tree = try DaemonTree("webbflow-retry-page")
        let chromium = try HeadlessChromium(scratch: tree.scratch)
        // A file where the program's folder should be: the product cannot be placed, the job fails for good.
        try FileManager.default.createDirectory(atPath: tree.outbox, withIntermediateDirectories: true)
        let blocker = "\(tree.outbox)/04242"
        FileManager.default.createFile(atPath: blocker, contents: Data("in the way".utf8))
        let input = try tree.put(exposure: 1)
        try await tree.runUntilIdle()
        let page = "\(tree.outbox)/\(OutboxPage.fileName)"
        let failed = try chromium.dom(of: page)
        XCTAssertTrue(failed.contains("id=\"failures\"") && failed.contains((input as NSString).lastPathComponent), failed)

        try FileManager.default.removeItem(atPath: blocker)
        let said = try WebbflowBinary.output(["retry", "--failed", "--state-dir", tree.state, "--outbox", tree.outbox])
        XCTAssertTrue(said.contains("queued again: 1 job") && said.contains("outbox pages rewritten in \(tree.outbox)"), said)
        let retried = try chromium.dom(of: page)
        XCTAssertFalse(retried.contains("id=\"failures\""), "the job queued again is no failure any more: \(retried)")
        XCTAssertTrue(retried.contains("Nothing has been processed yet."))
    }
}
