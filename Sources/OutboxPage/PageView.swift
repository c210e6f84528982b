import Foundation

/// One page of the listing as the template reads it: texts formatted, links made relative and percent-encoded,
/// sections that are empty left out. Mustache reads these properties by reflection.
struct PageView {
    struct ProgramView {
        let name: String
        let count: Int
        let products: [ProductView]
    }
    struct ProductView {
        let name: String
        let link: String
        let picture: String?
        let step: String
        let target: String?
        let mode: String?
        let inputs: String
        let time: String
        let status: String
        let missing: Bool
    }
    struct FailureView {
        let step: String
        let inputs: String
        let reason: String
        let attempts: Int
        let time: String?
    }
    struct PageLink {
        let number: Int
        let link: String
        let current: Bool
    }

    let generated: String
    let productCount: Int
    let page: Int
    let pageCount: Int
    let pageLinks: [PageLink]
    let paged: Bool
    let programs: [ProgramView]
    let failures: [FailureView]
    let skipped: [OutboxListing.SkippedFile]
    let hasFailures: Bool
    let hasSkipped: Bool
    let empty: Bool

    /// Page `page` of `pageCount`, showing `products` (program, product) of the `total`; the failures and the files
    /// not processed only on the first page.
    init(
        _ listing: OutboxListing, products: [(String, OutboxListing.Product)], page: Int, of pageCount: Int, total: Int,
        generated: Date
    ) {
        self.generated = Self.time(generated)
        self.page = page
        self.pageCount = pageCount
        pageLinks = (1...pageCount).map { PageLink(number: $0, link: "./" + OutboxPage.fileName(ofPage: $0), current: $0 == page) }
        paged = pageCount > 1
        let byProgram = Dictionary(grouping: products, by: \.0)
        programs = byProgram.keys.sorted().map { program in
            let products = (byProgram[program] ?? []).map(\.1)
            return ProgramView(
                name: program, count: products.count,
                products: products.map { product in
                    ProductView(
                        name: (product.path as NSString).lastPathComponent, link: Self.link(product.path),
                        picture: product.picture.map(Self.link), step: product.step, target: product.target,
                        mode: product.exposureType, inputs: product.inputs.joined(separator: ", "),
                        time: Self.time(product.writtenAt), status: product.present ? "written" : "missing from the outbox",
                        missing: !product.present)
                })
        }
        productCount = total
        let first = page == 1
        failures =
            first
            ? listing.failures.map { failure in
                FailureView(
                    step: failure.step, inputs: failure.inputs.joined(separator: ", "), reason: failure.reason,
                    attempts: failure.attempts, time: failure.failedAt.map(Self.time))
            } : []
        skipped = first ? listing.skipped : []
        hasFailures = !failures.isEmpty
        hasSkipped = !skipped.isEmpty
        empty = total == 0 && !hasFailures && !hasSkipped
    }

    /// A relative link to a file under the outbox: percent-encoded, and starting with `./` so that no name can read
    /// as a URL scheme.
    static func link(_ relativePath: String) -> String {
        "./" + (relativePath.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? relativePath)
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }
}
