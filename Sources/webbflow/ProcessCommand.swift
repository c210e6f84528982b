import ArgumentParser
import Daemon
import Foundation
import Logging
import Numerics
import Pipeline
import Platform

/// `webbflow process`: one-shot processing of files given on the command line.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Classify files, run the step each one needs, and write the products to a folder.",
        discussion: """
            Files that belong together (the dithers of one fixed-slit observation, a NIRCam image set and the \
            NIRSpec cube of the same field) are grouped and processed together. Products are written atomically: \
            a temporary file in the output folder, fsync, rename — an interrupted run leaves no half-written file.             Beside each product goes a quick-look sheet, <product stem>.png (--no-pictures leaves it out).

            Examples:
              webbflow process --out products jw01345062001_03101_00001_nrs1_rate.fits
              webbflow process --step nsclean --set n_sigma=3 --set save_mask=true --out products *_rate.fits
              webbflow process --out products mastDownload/JWST
            """
    )

    @Option(help: "Run this step on every file instead of the one routing chooses (see `webbflow steps`).")
    var step: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set a step parameter.", valueName: "KEY=VALUE"))
    var assignments: [String] = []

    @Option(help: "Folder for the products (created if missing).")
    var out: String

    @Option(help: "Daemon configuration file whose external steps ([[external_steps]]) are included.")
    var config: String?

    @Flag(help: "Do not draw a quick-look picture (<product stem>.png) beside each product.")
    var noPictures = false

    @Flag(
        help: ArgumentHelp(
            "Print where each job's time went, to stderr.",
            discussion: "One line per phase, `timing <phase> <seconds>`, for read, checksum, decode, compute, encode, write and fsync, "
                + "then `timing total <seconds>` (the whole job; time in no phase, such as planning, is in the total only)."))
    var timings = false

    @Argument(help: "Input FITS files, or folders to take every JWST file (jw….fits, jw….fits.gz) from, at any depth.")
    var files: [String]

    func run() async throws {
        BLASWorkers.stopIdle()
        // One job, then exit: memory freed between passes is worth keeping for the next pass.
        MemoryPolicy.keepFreedMemory()
        let catalog = try ConfiguredSteps.catalog(config: config)
        let registry = catalog.registry
        if let step, registry.step(named: step) == nil {
            let known = registry.names.joined(separator: ", ")
            throw ValidationError("unknown step '\(step)'; registered: \(known.isEmpty ? "(none)" : known)")
        }
        if !assignments.isEmpty {
            let targets = step.map { [$0] } ?? []
            for name in targets { _ = try validate(assignments, for: name, registry: registry) }
        }
        let classifier = Classifier(registry: registry)
        var unreadable = 0
        var classifications: [Classification] = []
        for file in InputPaths.expand(files) {
            guard FileManager.default.isReadableFile(atPath: file) else {
                Console.error("\(file): cannot be read (missing or no permission)")
                unreadable += 1
                continue
            }
            classifications.append(classifier.classify(path: file))
        }
        let plan = JobPlanner(registry: registry).plan(classifications, forcedStep: step)
        for skip in plan.skipped { Console.note("skipped \(skip.path): \(skip.reason)") }
        let writer = ProductWriter(directory: out)
        let runner = JobRunner(registry: registry, pictures: !noPictures)
        var failures = 0
        for job in plan.jobs {
            let label = job.inputs.count == 1 ? job.inputs[0] : "\(job.inputs.count) files (\(job.group ?? ""))"
            let logger = Logger(label: "webbflow.\(job.step)")
            let started = Date()
            let clock = timings ? PhaseClock() : nil
            do {
                let params = try validate(assignments, for: job.step, registry: registry)
                let written = try await runner.run(
                    job, assignments: params, writer: writer, context: StepContext(logger: logger, clock: clock))
                let seconds = String(format: "%.3f", Date().timeIntervalSince(started))
                for path in written { print("wrote \(path)  (\(job.step), \(seconds) s)") }
                if let clock { Console.report(clock) }
            } catch {
                failures += 1
                Console.error("\(label): \(job.step) failed: \(error)")
            }
        }
        if plan.jobs.isEmpty { Console.note("nothing to process") }
        if unreadable > 0 || failures > 0 { throw ExitCode(1) }
    }

    /// Keeps the assignments that name parameters of `stepName`; refuses names no selected step knows.
    private func validate(_ assignments: [String], for stepName: String, registry: StepRegistry) throws -> [String] {
        guard let specs = registry.step(named: stepName)?.manifest.parameters else { return [] }
        if step != nil { _ = try ParameterValues(specs: specs, assignments: assignments); return assignments }
        let known = Set(specs.map(\.name))
        return assignments.filter { known.contains(String($0.prefix { $0 != "=" })) }
    }
}

/// Messages for the person at the terminal, on stderr so stdout stays parseable.
enum Console {
    static func error(_ message: String) { FileHandle.standardError.write(Data("webbflow: error: \(message)\n".utf8)) }
    static func note(_ message: String) { FileHandle.standardError.write(Data("webbflow: \(message)\n".utf8)) }

    /// A job's phase times as `timing <phase> <seconds>` lines, the total last (the format benchmarks parse).
    static func report(_ clock: PhaseClock) {
        let phases = clock.seconds
        let total = clock.total
        let lines = phases.map { "timing \($0.phase.name) \(String(format: "%.6f", $0.seconds))\n" }.joined()
        FileHandle.standardError.write(Data((lines + "timing total \(String(format: "%.6f", total))\n").utf8))
    }
}
