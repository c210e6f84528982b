import Foundation

/// What `webbflow steps` prints: every registered step with its routes, product and parameters, from the manifests.
public struct StepListing: Sendable {
    public var registry: StepRegistry
    /// The steps configured to take other steps' products as well as downloads (chains).
    public var productTakers: Set<String>

    public init(registry: StepRegistry, productTakers: Set<String> = []) { (self.registry, self.productTakers) = (registry, productTakers) }

    /// The listing for people.
    public var text: String {
        let steps = registry.all.sorted { $0.manifest.name < $1.manifest.name }
        guard !steps.isEmpty else { return "No steps are registered in this build.\n" }
        var lines: [String] = []
        for manifest in steps.map(\.manifest) {
            lines.append("\(manifest.name) — \(manifest.summary)")
            for route in manifest.routes { lines.append("  routed:   \(route.description)") }
            if productTakers.contains(manifest.name) { lines.append("  takes:    other steps' products too (accept_products)") }
            lines.append(
                "  writes:   *_\(manifest.productSuffix).fits\(manifest.grouping != nil ? " (one per group of files)" : "")"
                    + (manifest.statusKeyword.isEmpty ? "" : ", \(manifest.statusKeyword) = COMPLETE"))
            if !manifest.parameters.isEmpty { lines.append("  parameters:") }
            for p in manifest.parameters {
                lines.append("    \(p.name) = \(p.defaultValue)".padding(toLength: 34, withPad: " ", startingAt: 0) + p.help + p.validity)
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The listing as JSON, for scripts.
    public func json() throws -> String {
        let objects: [[String: Any]] = registry.all.sorted { $0.manifest.name < $1.manifest.name }.map(\.manifest).map { m in
            [
                "name": m.name, "summary": m.summary, "routes": m.routes.map(\.description), "product_suffix": m.productSuffix,
                "status_keyword": m.statusKeyword, "multi_file": m.grouping != nil, "accepts_products": productTakers.contains(m.name),
                "parameters": m.parameters.map { p in
                    ["name": p.name, "default": p.defaultValue.description, "help": p.help] as [String: Any]
                },
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
