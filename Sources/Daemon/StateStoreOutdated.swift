/// A state database an older webbflow wrote and no current one has opened for writing yet: it lacks tables or
/// columns this version reads. Opening it writable (as the daemon does at start) upgrades it in place.
public struct StateStoreOutdated: Error, CustomStringConvertible {
    public let path: String
    /// The layout version the database records (0 for one written before versions were recorded).
    public let version: Int
    /// What the user can do when this process may not upgrade it itself.
    public var advice: String?

    public var description: String {
        let layouts = "layout \(version); this one reads \(StateStore.currentSchemaVersion)"
        let what = "the state database \(path) was written by an older webbflow (\(layouts))"
        return advice.map { "\(what): \($0)" } ?? what
    }
}
