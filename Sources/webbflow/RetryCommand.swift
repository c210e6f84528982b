import ArgumentParser
import Daemon
import Foundation
import Logging

/// `webbflow retry`: queues failed work again.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue failed jobs again, after what made them fail has been fixed.",
        discussion: """
            A job fails for good after max_attempts attempts, or at once for an error no retry can fix (a malformed \
            exposure, a job larger than the memory budget). Once the cause is gone (a full disk emptied, a folder's \
            permissions repaired, the budget raised), `retry` queues such jobs again with their attempts reset; a \
            running daemon starts them within a second, otherwise they run at its next start. Give a file (every \
            failed job it is an input of), a job id (as `webbflow status` lists them) or --failed for all.

            An input that changes (or is copied again) is taken anew by itself: a failed version never counts as \
            already taken.

            The outbox pages stop listing the jobs queued again as failures at once: they are rewritten when the \
            outbox is known (--outbox, or the outbox of --config).

            Examples:
              webbflow retry --failed --config /etc/webbflow.toml
              webbflow retry 42 --state-dir state --outbox outbox
              webbflow retry ~/mast/mastDownload/JWST/jw01345062001_03101_00001_nrs1/jw01345062001_03101_00001_nrs1_rate.fits
            """
    )

    @Argument(help: "A failed input file or a job id.")
    var target: String?

    @Flag(help: "Queue every failed job again.")
    var failed = false

    @Option(help: "The daemon's configuration file, for its state folder and outbox.")
    var config: String?

    @Option(help: "The daemon's state folder (default: the configuration's, else /var/lib/webbflow).")
    var stateDir: String?

    @Option(help: "The outbox whose pages are rewritten (default: the configuration's).")
    var outbox: String?

    func validate() throws {
        guard (target == nil) != !failed else { throw ValidationError("give a file, a job id or --failed (exactly one)") }
    }

    func run() throws {
        let selection: StateStore.RetrySelection
        if failed {
            selection = .allFailed
        } else if let target, let id = Int64(target) {
            selection = .job(id)
        } else {
            let path = URL(fileURLWithPath: target ?? "").standardizedFileURL.path
            selection = .input(path)
        }
        var configuration = DaemonConfiguration()
        if let config {
            do { configuration = try DaemonConfiguration.load(path: config) } catch { throw CommandFailure(error.description) }
        }
        let stateDir = stateDir ?? (configuration.stateDirectory.isEmpty ? "/var/lib/webbflow" : configuration.stateDirectory)
        let outbox = outbox ?? (configuration.outbox.isEmpty ? nil : configuration.outbox)
        let store: StateStore, ids: [Int64]
        do {
            guard FileManager.default.fileExists(atPath: "\(stateDir)/\(StateStore.fileName)") else {
                throw CommandFailure("no state database in \(stateDir) (has the daemon run with this state folder?)")
            }
            store = try StateStore(directory: stateDir)
            ids = try store.requeueFailedJobs(selection)
        } catch let error as CommandFailure { throw error } catch { throw CommandFailure("\(error)") }
        guard !ids.isEmpty else { throw CommandFailure("no failed job matches \(target ?? "--failed")") }
        print("queued again: \(ids.count) job(s) (\(ids.map(String.init).joined(separator: ", ")))")
        if let outbox {
            if OutboxPageRefresh().refresh(store: store, outbox: outbox, logger: Logger(label: "webbflow.retry")) {
                print("outbox pages rewritten in \(outbox)")
            }
        }
    }
}
