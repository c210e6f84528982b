import ArgumentParser
import Daemon
import Foundation

/// `webbflow status`: what the daemon has done, from its state database.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the queue, running jobs, recent products, failures and skipped files.",
        discussion: """
            Reads the state database (safe while the daemon runs; a database an older webbflow wrote is upgraded \
            first when no daemon runs on it). Every file the daemon has seen is listed by \
            outcome; files not processed are shown with the reason; groups still gathering members with when they fire.

            Examples:
              webbflow status --state-dir /var/lib/webbflow
              webbflow status --state-dir state --json | jq '.failed'
            """
    )

    @Option(help: "The daemon's state folder.")
    var stateDir = "/var/lib/webbflow"

    @Option(help: "The daemon's config file, whose group_settle_seconds dates when waiting groups fire (default 60 s).")
    var config: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let report: StatusReport
        do {
            let settle = try config.map { path throws(ConfigurationError) in try DaemonConfiguration.load(path: path).groupSettleSeconds }
            report = try StatusReport.read(stateDirectory: stateDir, groupSettleSeconds: settle ?? DaemonConfiguration().groupSettleSeconds)
        } catch {
            throw CommandFailure("\(error)")
        }
        print(json ? try report.json() : report.text)
    }
}
