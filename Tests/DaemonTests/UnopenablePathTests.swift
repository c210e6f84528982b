import Daemon
import Foundation
import XCTest

/// Entries named like JWST files that cannot be taken as files — a directory, a path longer than the system opens —
/// are recorded with a machine-readable reason instead of being ignored in silence.
final class UnopenablePathTests: XCTestCase {
    func testADirectoryNamedLikeAJWSTFileIsRecordedAndItsContentsStillTaken() async throws {
        let tree = try DaemonTree("webbflow-directory")
        let directory = "\(tree.inbox)/jw04242001001_01101_00008_nrs1_rate.fits"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let inside = try tree.put(exposure: 1, folder: (directory as NSString).lastPathComponent)
        try await tree.runUntilIdle()

        let report = try tree.status()
        let recorded = try XCTUnwrap(report.skipped.first { $0.path == directory }, "the directory is recorded\n\(tree.log.suffix(2000))")
        XCTAssertEqual(recorded.skipReason, "directory")
        XCTAssertNotNil(tree.product(of: inside), "the exposure inside it is processed")
    }

    func testAPathLongerThanTheSystemOpensIsRecordedWithItsReason() async throws {
        let tree = try DaemonTree("webbflow-long-path")
        // Folders nested to about 3,900 bytes, which the system still opens, and a file name that takes the path past
        // PATH_MAX (4,096 bytes with its terminating zero).
        var folder = tree.inbox
        while folder.utf8.count < 3_900 { folder += "/" + String(repeating: "d", count: 200) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // rm removes what a path too long to open holds; the scratch folder's own removal might not.
        defer {
            _ = try? Process.run(
                URL(fileURLWithPath: "/bin/rm"), arguments: ["-rf", "\(tree.inbox)/" + String(repeating: "d", count: 200)]
            ).waitUntilExit()
        }
        let name = "jw04242001001_01101_00007_nrs1_" + String(repeating: "x", count: 200) + "_rate.fits"
        XCTAssertGreaterThan(folder.utf8.count + 1 + name.utf8.count, 4_095)
        let file = try TestExposures.bytes(exposure: 7)
        let staged = tree.scratch.file("staged.fits")
        try file.data.write(to: URL(fileURLWithPath: staged))
        // Only a path relative to the folder can name the file: the shell goes there first.
        let copy = Process()
        copy.executableURL = URL(fileURLWithPath: "/bin/bash")
        copy.arguments = ["-c", "cd \"$1\" && cp \"$2\" \"$3\"", "copy", folder, staged, name]
        try copy.run()
        copy.waitUntilExit()
        XCTAssertEqual(copy.terminationStatus, 0)
        let real = try tree.put(exposure: 1)
        try await tree.runUntilIdle()

        let report = try tree.status()
        let recorded = try XCTUnwrap(
            report.skipped.first { $0.path == "\(folder)/\(name)" }, "the long path is recorded\n\(tree.log.suffix(2000))")
        XCTAssertEqual(recorded.skipReason, "path-too-long")
        XCTAssertTrue(recorded.reason.contains("longer than the system opens"), recorded.reason)
        XCTAssertNotNil(tree.product(of: real), "the other file is processed")
    }
}
