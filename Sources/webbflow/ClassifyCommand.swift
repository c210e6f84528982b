import ArgumentParser
import Daemon
import Foundation
import Pipeline

/// `webbflow classify`: says what each file is and what Webbflow would do with it.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Say what each FITS file is and whether Webbflow would process it.",
        discussion: """
            Reads only the headers (TELESCOP, INSTRUME, EXP_TYPE, DETECTOR, optical elements, DATAMODL) and the \
            product suffix of the file name (jw…_rate.fits, jw…_cal.fits, level-3 names too). Every file gets a \
            verdict: routed to a step, or skipped with a reason (reference file, target acquisition, calibration \
            exposure, unsupported mode, not JWST, unknown suffix, damaged file, no step registered).

            The exit status is 0 even when files are skipped; it is 1 only when an argument cannot be read at all.

            Examples:
              webbflow classify mastDownload/JWST
              webbflow classify --json jw01345062001_03101_00001_nrs2_rate.fits | jq .verdict
            """
    )

    @Option(help: "Daemon configuration file whose external steps ([[external_steps]]) are included.")
    var config: String?

    @Flag(help: "Print one JSON object per file instead of a table.")
    var json = false

    @Argument(help: "FITS files (.fits or .fits.gz), or folders to take every JWST file (jw….fits, jw….fits.gz) from, at any depth.")
    var files: [String]

    func run() throws {
        let catalog = try ConfiguredSteps.catalog(config: config)
        let classifier = Classifier(registry: catalog.registry)
        var unreadable = 0
        var rows: [Classification] = []
        for file in InputPaths.expand(files) {
            guard FileManager.default.isReadableFile(atPath: file) else {
                FileHandle.standardError.write(Data("webbflow: \(file): cannot be read (missing or no permission)\n".utf8))
                unreadable += 1
                continue
            }
            rows.append(classifier.classify(path: file))
        }
        if json {
            for row in rows { print(ClassificationReport.json(row)) }
        } else if !rows.isEmpty {
            print(ClassificationReport.table(rows))
        }
        if unreadable > 0 { throw ExitCode(1) }
    }
}
