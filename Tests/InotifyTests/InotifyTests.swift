import Foundation
import Inotify
import XCTest

/// The wrapper against the real kernel API: a file written in a watched folder is reported by name.
final class InotifyTests: XCTestCase {
    func testClosedWriteIsReportedWithItsName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inotify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inotify = try Inotify()
        let watch = try inotify.addWatch(folder.path, mask: [.closeWrite, .onlyDirectory])
        try Data("x".utf8).write(to: folder.appendingPathComponent("jw01_rate.fits"))
        var events: [InotifyEvent] = []
        for _ in 0..<20 where events.isEmpty { events = inotify.read(timeoutMilliseconds: 100) }
        XCTAssertEqual(events.map(\.name), ["jw01_rate.fits"])
        XCTAssertEqual(events.first?.watch, watch)
        XCTAssertTrue(events.first?.has(.closeWrite) ?? false)
    }

    func testWatchingAMissingFolderNamesIt() throws {
        let inotify = try Inotify()
        XCTAssertThrowsError(try inotify.addWatch("/nonexistent-webbflow-folder", mask: .closeWrite)) { error in
            XCTAssertEqual("\(error)", "inotify_add_watch /nonexistent-webbflow-folder: No such file or directory")
        }
    }
}
