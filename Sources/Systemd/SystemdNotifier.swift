import CSystemd
import Foundation
import Platform

/// The service manager's notification protocol (sd_notify): readiness, status text, watchdog keep-alives,
/// reload and stop announcements. Every call is a no-op when NOTIFY_SOCKET is unset (not under systemd).
public struct SystemdNotifier: Sendable {
    /// Half the watchdog interval systemd asked for (WATCHDOG_USEC), or nil without a watchdog.
    public let watchdogPeriod: Duration?
    private let lastWatchdog = Locked<ContinuousClock.Instant?>(nil)

    public init() {
        var microseconds: UInt64 = 0
        watchdogPeriod =
            sd_watchdog_enabled(0, &microseconds) > 0 && microseconds > 0
            ? .microseconds(Int64(microseconds / 2)) : nil
    }

    /// Sends `KEY=VALUE` lines in one datagram.
    public func send(_ lines: [String]) {
        _ = sd_notify(0, lines.joined(separator: "\n"))
    }

    public func ready(status: String) { send(["READY=1", "STATUS=\(status)"]) }
    public func status(_ text: String) { send(["STATUS=\(text)"]) }
    public func stopping() { send(["STOPPING=1", "STATUS=stopping: finishing running jobs"]) }

    /// RELOADING=1 with the CLOCK_MONOTONIC time in the same datagram, as Type=notify-reload requires.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)", "STATUS=reloading configuration"])
    }

    /// WATCHDOG=1, at most once per half interval; called from the work loop so that a hung loop goes unfed.
    public func watchdog() {
        guard let period = watchdogPeriod else { return }
        let now = ContinuousClock.now
        let due = lastWatchdog.withLock { last -> Bool in
            if let previous = last, now - previous < period { return false }
            last = now
            return true
        }
        if due { send(["WATCHDOG=1"]) }
    }
}
