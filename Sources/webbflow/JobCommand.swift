import ArgumentParser
import Daemon
import Logging
import Numerics
import Platform

/// `webbflow job`: one job handed over by the daemon's Slurm executor, run on a compute node.
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Run one job described in the Slurm spool (what the daemon's sbatch scripts call).",
        discussion: """
            With executor = "slurm", the daemon writes each job's description (step, external step definition, \
            parameters, inputs, staging folder) to the spool and submits a batch script running `webbflow job FILE` \
            on a compute node. The products are staged atomically in a hidden folder of the outbox, which the daemon \
            moves them out of after its product-clash check; the outcome (staged products, or the step's error) goes \
            to the spool for the daemon. The exit status is 0 whenever an outcome was written, failed step included.
            """
    )

    @Argument(help: "The job description (a .json file in the spool).")
    var file: String

    func run() async throws {
        BLASWorkers.stopIdle()
        MemoryPolicy.keepFreedMemory()
        try await SlurmComputeJob.run(descriptionPath: file, builtIn: BuiltinSteps.registry, logger: Logger(label: "webbflow.job"))
    }
}
