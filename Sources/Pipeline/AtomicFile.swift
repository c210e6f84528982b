import Foundation
import Platform
import SystemPackage

/// Places files so that a reader never sees a half-written one: write to a temporary name in the destination
/// folder, fsync the file, rename over the final name, fsync the folder. A crash leaves either nothing or the
/// whole file (and at worst a `.tmp-` file that `cleanTemporaries` removes).
public enum AtomicFile {
    public static let temporaryPrefix = ".tmp-webbflow-"

    /// Told the final path just before a file is renamed into place, in the task that writes it; a throw cancels
    /// the placement. The daemon records the product as pending here, so that a crash between the rename and its own
    /// record of the product does not make it write the product again.
    public struct PlacementObserver: Sendable {
        public let willPlace: @Sendable (String) throws -> Void

        public init(_ willPlace: @escaping @Sendable (String) throws -> Void) { self.willPlace = willPlace }
    }

    /// The observer of the current task's placements; none by default.
    @TaskLocal public static var placementObserver = PlacementObserver { _ in }

    /// Runs `write` with a temporary path in `directory`, then moves the result to `directory/name` durably.
    /// On any failure the temporary file is removed and the error rethrown; an existing file of the same name is
    /// replaced only by a complete new one. A `write` that leaves the file synced itself (`FITSWriter`) says so with
    /// `writeSyncs`, and the file is not synced a second time.
    @discardableResult
    public static func write(
        named name: String, in directory: String, clock: PhaseClock? = nil, writeSyncs: Bool = false,
        _ write: (String) throws -> Void
    ) throws -> String {
        try self.write(
            named: name, in: directory, temporary: temporaryPath(for: name, in: directory), clock: clock,
            writeSyncs: writeSyncs, write)
    }

    /// A fresh temporary path in `directory` (created if needed) for a file to be placed as `name`.
    public static func temporaryPath(for name: String, in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return "\(directory)/\(temporaryPrefix)\(UUID().uuidString.prefix(8))-\(name)"
    }

    /// Runs `write` on `temporary`, a path from `temporaryPath(for:in:)` that may already hold part of the file,
    /// then moves the result to `directory/name` durably, as `write(named:in:writeSyncs:_:)` does. `clock` is told
    /// the time the syncs and the rename take.
    @discardableResult
    public static func write(
        named name: String, in directory: String, temporary: String, clock: PhaseClock? = nil,
        writeSyncs: Bool = false, _ write: (String) throws -> Void
    ) throws -> String {
        let final = "\(directory)/\(name)"
        do {
            try write(temporary)
            if !writeSyncs { try clock.measure(.fsync) { try sync(path: temporary) } }
            try placementObserver.willPlace(final)
            try clock.measure(.fsync) {
                try SystemCallError.naming("rename \(temporary) to \(final)") { try FilePath(temporary).rename(to: FilePath(final)) }
                try sync(path: directory)
            }
        } catch {
            try? FilePath(temporary).unlink()
            throw error
        }
        return final
    }

    /// Writes bytes atomically.
    @discardableResult
    public static func write(_ data: Data, named name: String, in directory: String) throws -> String {
        try write(named: name, in: directory) { path in
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    /// Removes temporary files a crash left in `directory`.
    public static func cleanTemporaries(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(temporaryPrefix) { try? FilePath("\(directory)/\(name)").unlink() }
    }

    private static func sync(path: String) throws {
        try SystemCallError.naming("fsync \(path)") {
            let file = try FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec)
            try file.closeAfter { try file.sync() }
        }
    }
}
