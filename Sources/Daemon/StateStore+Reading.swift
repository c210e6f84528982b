import InstanceLock

extension StateStore {
    /// Opens the database in `directory` for reading while a daemon may be running on it (`webbflow status`).
    ///
    /// A database an older webbflow wrote is upgraded first, as the daemon would at its start, when no daemon holds
    /// the state folder; when one does, that daemon is older than this webbflow (a current one upgrades at start),
    /// and the error says to restart it rather than change the database under it.
    public static func openForReading(directory: String) throws -> StateStore {
        do {
            return try StateStore(directory: directory, readOnly: true)
        } catch var outdated as StateStoreOutdated {
            let lock: InstanceLock
            do {
                lock = try InstanceLock(path: "\(directory)/\(Daemon.lockFileName)")
            } catch InstanceLockError.held(_, let holder) {
                outdated.advice =
                    "the daemon running on it (PID \(holder.map(String.init) ?? "unknown")) is an older version; restart it with this one, which upgrades the database"
                throw outdated
            } catch {
                outdated.advice = "it cannot be upgraded from here (\(error)); run this as the daemon's user, or start the daemon once"
                throw outdated
            }
            try withExtendedLifetime(lock) { _ = try StateStore(directory: directory) }
            return try StateStore(directory: directory, readOnly: true)
        }
    }
}
