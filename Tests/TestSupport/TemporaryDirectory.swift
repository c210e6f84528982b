import Foundation

/// A folder of one test's own under the system's temporary directory, removed with everything in it when released.
public final class TemporaryDirectory {
    public let path: String

    /// `label` starts the folder's name, so that a leftover (a test killed mid-run) says whose it was.
    public init(_ label: String = "webbflow") throws {
        path = NSTemporaryDirectory() + label + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Removes the folder now (XCTest keeps test cases, and what their teardown blocks hold, until the run ends).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { "\(path)/\(name)" }
}
