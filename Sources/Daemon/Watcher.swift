import Foundation
import Inotify
import Logging
import Platform
import ServiceLifecycle

/// Watches the inboxes recursively over inotify and reports candidate files (`jw*.fits`, `jw*.fits.gz`).
///
/// What makes it reliable (jwst-conventions §4): a new directory is watched first and scanned second, so files
/// written before the watch existed are not lost; IN_CLOSE_WRITE covers in-place writers (astroquery, curl) and
/// IN_MOVED_TO covers temporary-name-then-rename writers (cloud downloads); a queue overflow triggers a full
/// rescan; a deleted or moved inbox is re-armed when it reappears; an optional periodic rescan covers network
/// filesystems. Duplicated reports are harmless: the intake settles them and the state store knows each version.
public final class Watcher: Service, Sendable {
    let roots: [String]
    private let report: @Sendable (String) -> Void
    private let onReady: @Sendable () -> Void
    private let rescanInterval: @Sendable () -> Double
    private let logger: Logger
    private let stopRequested = Locked(false)

    /// IN_ATTRIB: a chmod may make a file that could not be read readable.
    static let directoryMask: InotifyEvent.Kind = [.closeWrite, .movedTo, .create, .attributes, .deleteSelf, .moveSelf, .onlyDirectory]

    /// `report` receives candidate paths; `onReady` runs once the watches are in place and the startup scan is queued.
    public init(
        roots: [String], logger: Logger, rescanInterval: @escaping @Sendable () -> Double = { 0 },
        onReady: @escaping @Sendable () -> Void = {}, report: @escaping @Sendable (String) -> Void
    ) {
        self.roots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.report = report
        self.onReady = onReady
        self.rescanInterval = rescanInterval
        self.logger = logger
    }

    /// True for names Webbflow considers at all: JWST product names ending in .fits or .fits.gz.
    public static func isCandidate(name: String) -> Bool {
        name.hasPrefix("jw") && (name.hasSuffix(".fits") || name.hasSuffix(".fits.gz"))
    }

    public func run() async throws {
        let inotify = try Inotify()
        logger.info("inotify limits: \(Inotify.limits())")
        var state = WatchState(roots: roots)
        for root in roots { arm(root: root, state: &state, inotify: inotify) }
        onReady()
        let done = Locked(false)
        let armed = state
        let thread = Thread { [self] in
            var state = armed
            loop(inotify: inotify, state: &state)
            done.withLock { $0 = true }
        }
        thread.name = "webbflow-watcher"
        thread.start()
        await withGracefulShutdownHandler {
            while !done.current, !Task.isCancelled, !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: .milliseconds(100))
            }
        } onGracefulShutdown: {
            self.stopRequested.withLock { $0 = true }
        }
        stopRequested.withLock { $0 = true }
        while !done.current { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// The watcher thread's view: which watch is which directory, and which inboxes are gone for now.
    struct WatchState: Sendable {
        var directories: [Int32: String] = [:]
        var roots: [String]
        var lostRoots: Set<String> = []
        var lastRescan = Date()
    }

    private func loop(inotify: Inotify, state: inout WatchState) {
        while !stopRequested.current {
            for event in inotify.read(timeoutMilliseconds: 200) { handle(event, state: &state, inotify: inotify) }
            for root in state.lostRoots.sorted() where EntryType.of(root) == .directory {
                logger.notice("inbox \(root) is back; watching it again")
                state.lostRoots.remove(root)
                arm(root: root, state: &state, inotify: inotify)
            }
            let interval = rescanInterval()
            let periodic = interval > 0 && Date().timeIntervalSince(state.lastRescan) >= interval
            if periodic { rescanAll(state: &state, inotify: inotify) }
        }
    }

    private func handle(_ event: InotifyEvent, state: inout WatchState, inotify: Inotify) {
        if event.has(.queueOverflow) {
            logger.warning("inotify queue overflowed: events were lost; rescanning every inbox")
            rescanAll(state: &state, inotify: inotify)
            return
        }
        guard let directory = state.directories[event.watch] else { return }
        if event.has(.ignored) {
            state.directories[event.watch] = nil
            if state.roots.contains(directory) {
                logger.warning("inbox \(directory) was removed, moved or unmounted; waiting for it to come back")
                state.lostRoots.insert(directory)
            }
            return
        }
        if event.has(.moveSelf), state.roots.contains(directory) {
            inotify.removeWatch(event.watch)
            return
        }
        guard !event.name.isEmpty else { return }
        let path = "\(directory)/\(event.name)"
        if event.has(.isDirectory) {
            guard event.has(.create) || event.has(.movedTo) else { return }
            // A directory named like a JWST file is reported too, so that the intake records why it is not taken.
            if Self.isCandidate(name: event.name) { report(path) }
            watchTree(path, state: &state, inotify: inotify)
            return
        }
        guard Self.isCandidate(name: event.name) else { return }
        // IN_CREATE matters only for symbolic links and special files (FIFOs…), which give no close event when made.
        if event.has(.create), ![.symbolicLink, .other].contains(EntryType.of(path)) { return }
        report(path)
    }

    private func arm(root: String, state: inout WatchState, inotify: Inotify) {
        guard EntryType.of(root) == .directory else {
            logger.warning("inbox \(root) does not exist (yet); it is watched as soon as it appears")
            state.lostRoots.insert(root)
            return
        }
        watchTree(root, state: &state, inotify: inotify)
    }

    private func rescanAll(state: inout WatchState, inotify: Inotify) {
        state.lastRescan = Date()
        for root in state.roots where !state.lostRoots.contains(root) { watchTree(root, state: &state, inotify: inotify) }
    }

    /// Watch first, then scan: anything written before the watch existed is found by the scan.
    private func watchTree(_ directory: String, state: inout WatchState, inotify: Inotify) {
        do {
            let watch = try inotify.addWatch(directory, mask: Self.directoryMask)
            state.directories[watch] = directory
        } catch {
            logger.error("cannot watch \(directory): \(error); its files are found only by rescans")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for name in names {
            let path = "\(directory)/\(name)"
            // Every candidate name is reported, whatever it is (a directory, a FIFO, a path too long to stat): the
            // intake records why it is not taken.
            if Self.isCandidate(name: name) { report(path) }
            if EntryType.of(path) == .directory { watchTree(path, state: &state, inotify: inotify) }
        }
    }
}
