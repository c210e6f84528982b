import ServiceLifecycle

/// Keeps systemd's STATUS= line current (queue, running jobs with progress, last product) and announces
/// STOPPING=1 as soon as a graceful shutdown begins. READY=1 is sent by the daemon once the watches are in place
/// and the startup scan is queued; WATCHDOG=1 comes from the scheduler's work loop.
final class NotifierService: Service, Sendable {
    private let context: DaemonContext
    private let intake: Intake

    init(context: DaemonContext, intake: Intake) {
        self.context = context
        self.intake = intake
    }

    func run() async throws {
        var last = ""
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let line = statusLine()
                if line != last {
                    context.notifier.status(line)
                    last = line
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        } onGracefulShutdown: {
            self.context.notifier.stopping()
            self.context.logger.notice("stopping: no new jobs; running jobs finish or are requeued at the next start")
        }
    }

    func statusLine() -> String {
        let queued = (try? context.store.activeJobCounts().queued) ?? 0
        return context.board.statusLine(queued: queued, waitingFiles: intake.waitingCount)
    }
}
