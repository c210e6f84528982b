import ArgumentParser
import Pipeline

/// The `webbflow` command: the daemon and its one-shot tools.
@main
struct Webbflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webbflow",
        abstract: "Turn JWST downloads from MAST into science-ready products, unattended.",
        discussion: """
            Webbflow reads each FITS file's headers to learn what the exposure is, runs the processing step \
            that suits it (NSClean, adaptive trace model, slit extraction, fusion) and writes products \
            beside nothing it was given: inputs are never modified.

            Start with `webbflow simulate program --out demo` and `webbflow classify demo/**/*.fits`.
            """,
        version: WebbflowVersion.current,
        subcommands: [
            ClassifyCommand.self, ProcessCommand.self, SimulateCommand.self, StepsCommand.self, RunCommand.self, StatusCommand.self,
            RetryCommand.self, JobCommand.self,
        ]
    )
}
