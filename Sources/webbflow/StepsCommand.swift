import ArgumentParser
import Daemon
import Foundation
import Pipeline

/// `webbflow steps`: the registered steps, what they accept and their parameters.
struct StepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps",
        abstract: "List the processing steps, what they accept, and their parameters with defaults.",
        discussion: """
            Parameters are set with `webbflow process --set NAME=VALUE` or in the daemon's config file \
            ([steps.NAME] tables). Every value used is recorded in the product's primary header.

            Examples:
              webbflow steps
              webbflow steps --json | jq '.[].name'
            """
    )

    @Option(help: "Daemon configuration file whose external steps ([[external_steps]]) are included.")
    var config: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let catalog = try ConfiguredSteps.catalog(config: config)
        let steps = catalog.registry.all
        let routing = catalog.routing
        if json {
            let objects: [[String: Any]] = steps.map { step in
                [
                    "name": step.info.name, "summary": step.info.summary, "accepts": step.info.accepts,
                    "product_suffix": step.info.productSuffix, "multi_file": step.grouping != nil,
                    "parameters": step.info.parameters.map { p in
                        ["name": p.name, "default": p.defaultValue.description, "help": p.help] as [String: Any]
                    },
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if steps.isEmpty { print("No steps are registered in this build.") }
        for step in steps {
            let info = step.info
            print("\(info.name) — \(info.summary)")
            print("  accepts:  \(info.accepts)")
            let rules = routing.rules.filter { $0.step == info.name }
            for rule in rules {
                print("  routed:   \(rule.instruments.sorted().joined(separator: "/")) \(rule.exposureTypes.sorted().joined(separator: ", ")) _\(rule.suffixes.sorted().joined(separator: "/_"))")
            }
            print("  writes:   *_\(info.productSuffix).fits\(step.grouping != nil ? " (one per group of files)" : "")")
            if !info.parameters.isEmpty { print("  parameters:") }
            for p in info.parameters {
                print("    \(p.name) = \(p.defaultValue)".padding(toLength: 34, withPad: " ", startingAt: 0) + p.help)
            }
            print("")
        }
    }
}
