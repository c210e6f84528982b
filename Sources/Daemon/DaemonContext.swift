import Logging
import Pipeline
import Platform
import Systemd

/// What the daemon's services share: the state store, the live configuration, the steps with their classifier and
/// router, the notifier and the activity board, and the signal that wakes the scheduler when work arrives.
struct DaemonContext: Sendable {
    let store: StateStore
    let configuration: Locked<DaemonConfiguration>
    let registry: StepRegistry
    let classifier: Classifier
    let router: Router
    /// The steps that take products as inputs (chains).
    let productTakers: Set<String>
    let board: ActivityBoard
    let notifier: SystemdNotifier
    let logger: Logger
    let schedulerWake = WakeSignal()
    let outboxPage = OutboxPageRefresh()

    var config: DaemonConfiguration { configuration.current }
}
