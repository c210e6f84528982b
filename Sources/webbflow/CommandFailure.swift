/// A command that could not do its work for a reason other than its arguments (a database an older version wrote,
/// a configuration file in error, a state folder that is not there): printed as `Error: <reason>` and exit status
/// 1, without the usage text, which would not help.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
