import Foundation

/// The listing as the template reads it: texts formatted, links made relative and percent-encoded, sections that
/// are empty left out. Mustache reads these properties by reflection.
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

    let generated: String
    let productCount: Int
    let programs: [ProgramView]
    let failures: [FailureView]
    let skipped: [OutboxListing.SkippedFile]
    let hasFailures: Bool
    let hasSkipped: Bool
    let empty: Bool

    init(_ listing: OutboxListing, generated: Date) {
        self.generated = Self.time(generated)
        programs = listing.programs.keys.sorted().map { program in
            let products = (listing.programs[program] ?? []).sorted { ($0.writtenAt, $0.path) > ($1.writtenAt, $1.path) }
            return ProgramView(name: program, count: products.count, products: products.map { product in
                ProductView(name: (product.path as NSString).lastPathComponent, link: Self.link(product.path),
                            picture: product.picture.map(Self.link), step: product.step, target: product.target,
                            mode: product.exposureType, inputs: product.inputs.joined(separator: ", "),
                            time: Self.time(product.writtenAt), status: product.present ? "written" : "missing from the outbox",
                            missing: !product.present)
            })
        }
        productCount = programs.reduce(0) { $0 + $1.count }
        failures = listing.failures.map { failure in
            FailureView(step: failure.step, inputs: failure.inputs.joined(separator: ", "), reason: failure.reason,
                        attempts: failure.attempts, time: failure.failedAt.map(Self.time))
        }
        skipped = listing.skipped
        hasFailures = !failures.isEmpty
        hasSkipped = !skipped.isEmpty
        empty = programs.isEmpty && !hasFailures && !hasSkipped
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
