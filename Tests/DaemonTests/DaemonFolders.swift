/// The folders of a scratch tree the real daemon runs in, all under one root: what the external-step and Slurm
/// trees share.
protocol DaemonFolders {
    var root: String { get }
}

extension DaemonFolders {
    var inbox: String { "\(root)/inbox" }
    var outbox: String { "\(root)/outbox" }
    var state: String { "\(root)/state" }
    var config: String { "\(root)/webbflow.toml" }
}
