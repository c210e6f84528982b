import ArgumentParser
import Daemon
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

    @Option(help: "Daemon configuration file whose external steps ([[external_steps]]) are included, and which steps take products.")
    var config: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let catalog = try ConfiguredSteps.catalog(config: config)
        let listing = StepListing(registry: catalog.registry, productTakers: catalog.productTakers)
        if json { print(try listing.json()) } else { print(listing.text, terminator: "") }
    }
}
