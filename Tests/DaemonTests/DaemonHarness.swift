import Daemon
import Foundation
import Logging
import OutboxPage
import Pipeline
import Platform
import XCTest

/// A daemon running in this process on a temporary tree (inbox, outbox, state, failed) with the test steps,
/// and helpers to wait for what it records.
final class DaemonHarness: @unchecked Sendable {
    let root: String
    let inbox: String
    let outbox: String
    let state: String
    let failed: String
    let configPath: String
    let log = CapturedLog()
    private(set) var daemon: Daemon?
    private var task: Task<Void, Error>?

    /// `memoryBudgetMB` 0 keeps the automatic budget; `copyDelay` makes each scicopy job take that long;
    /// `rescanInterval` 0 disables the periodic rescan.
    init(
        settle: Double = 0.3, groupSettle: Double = 1, maxAttempts: Int = 3, retryBackoff: Double = 0.1, memoryBudgetMB: Int = 0,
        copyDelay: Double = 0, rescanInterval: Double = 0
    ) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("webbflow-daemon-\(UUID().uuidString)").path
        inbox = "\(root)/inbox"
        outbox = "\(root)/outbox"
        state = "\(root)/state"
        failed = "\(root)/failed"
        configPath = "\(root)/webbflow.toml"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try """
        inboxes = ["\(inbox)"]
        outbox = "\(outbox)"
        failed = "\(failed)"
        state_directory = "\(state)"
        settle_seconds = \(settle)
        group_settle_seconds = \(groupSettle)
        workers = 2
        memory_budget_mb = \(memoryBudgetMB)
        max_attempts = \(maxAttempts)
        retry_backoff_seconds = \(retryBackoff)
        rescan_interval_seconds = \(rescanInterval)
        [steps.scicopy]
        scale = 2.0
        delay = \(copyDelay)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func start(exitWhenIdle: Bool = false) async throws {
        let capture = log
        let daemon = try Daemon(
            configurationFile: configPath, overrides: ConfigurationOverrides(), registry: TestSteps.registry,
            exitWhenIdle: exitWhenIdle, handleSignals: false,
            logger: Logger(label: "test") { _ in CaptureHandler(log: capture) })
        self.daemon = daemon
        task = Task { try await daemon.run() }
        try await waitUntil("the daemon is ready", timeout: 10) { capture.contains("ready:") }
    }

    /// Waits for a daemon started with `exitWhenIdle` to stop by itself.
    func waitForExit() async throws {
        try await task?.value
        released()
    }

    func stop() async throws {
        await daemon?.stop()
        try await task?.value
        released()
    }

    /// Lets the stopped daemon go, and with it the state folder's lock, so that a restart can take it.
    private func released() {
        task = nil
        daemon = nil
    }

    func status() throws -> StatusReport { try StatusReport.read(stateDirectory: state, recent: 1000) }

    /// Polls `condition` every 50 ms; fails the test with `what` after `timeout` seconds.
    func waitUntil(_ what: String, timeout: Double = 30, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTFail("timed out after \(timeout) s waiting until \(what)")
        throw CancellationError()
    }

    /// Waits until `files` file versions are recorded and no job is queued or running.
    func waitForQuiet(files: Int, timeout: Double = 30) async throws {
        try await waitUntil("\(files) file versions are recorded and no job is pending", timeout: timeout) {
            let report = try status()
            return report.files.values.reduce(0, +) >= files && report.queued.isEmpty && report.running.isEmpty
        }
    }

    /// Every regular file under the outbox, relative to it, but the products' quick-look pictures placed beside them
    /// and the outbox page (a temporary left behind, picture, page or not, still shows).
    func products() -> [String] {
        (FileManager.default.enumerator(atPath: outbox)?.allObjects as? [String] ?? []).filter { relative in
            var isDirectory: ObjCBool = false
            let placedPicture =
                relative.hasSuffix(".png") && !(relative as NSString).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix)
            return FileManager.default.fileExists(atPath: "\(outbox)/\(relative)", isDirectory: &isDirectory) && !isDirectory.boolValue
                && !placedPicture && relative != OutboxPage.fileName
        }.sorted()
    }

    func write(_ name: String, in folder: String = "", _ data: Data) throws -> String {
        let directory = folder.isEmpty ? inbox : "\(inbox)/\(folder)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(name)"
        try TestExposures.writeInPlace(data, to: path)
        return path
    }
}

/// Log entries captured from the daemon, for assertions on what it said.
final class CapturedLog: Sendable {
    private let entries = Locked<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    func append(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
        entries.withLock { $0.append((level, message, metadata)) }
    }

    func contains(_ text: String) -> Bool { messages.contains { $0.contains(text) } }

    var messages: [String] { entries.withLock { $0.map(\.message) } }

    func entries(where field: String, is value: String) -> [Logger.Metadata] {
        entries.withLock { $0.filter { $0.metadata[field]?.description == value }.map(\.metadata) }
    }
}

struct CaptureHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append(event.level, "\(event.message)", metadata.merging(event.metadata ?? [:]) { $1 })
    }
}
