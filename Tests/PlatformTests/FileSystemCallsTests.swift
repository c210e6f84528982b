import Foundation
import Platform
import SystemPackage
import XCTest

/// The file-system calls swift-system lacks, on real files: their effect, and errno as a named error.
final class FileSystemCallsTests: XCTestCase {
    private var folder: FilePath!

    override func setUpWithError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("platform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        folder = FilePath(url.path)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder.string) }

    func testRenameReplacesAndUnlinkRemoves() throws {
        let a = folder.appending("a"), b = folder.appending("b")
        try Data("new".utf8).write(to: URL(fileURLWithPath: a.string))
        try Data("old".utf8).write(to: URL(fileURLWithPath: b.string))
        try a.rename(to: b)
        XCTAssertEqual(try String(contentsOfFile: b.string, encoding: .utf8), "new")
        XCTAssertFalse(FileManager.default.fileExists(atPath: a.string))
        try b.unlink()
        XCTAssertFalse(FileManager.default.fileExists(atPath: b.string))
        XCTAssertThrowsError(try b.unlink()) { XCTAssertEqual($0 as? Errno, .noSuchFileOrDirectory) }
    }

    func testSyncAndResolve() throws {
        let file = folder.appending("f")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file.string))
        let descriptor = try FileDescriptor.open(file, .readOnly)
        try descriptor.closeAfter { try descriptor.sync() }
        try FileManager.default.createSymbolicLink(atPath: folder.appending("link").string, withDestinationPath: "f")
        XCTAssertEqual(folder.appending("link").resolved(), FilePath(folder.string).resolved()?.appending("f"))
        XCTAssertNil(folder.appending("missing").resolved())
    }

    func testErrnoBecomesANamedPOSIXError() throws {
        let missing = folder.appending("missing")
        XCTAssertThrowsError(try SystemCallError.naming("rename \(missing)") { try missing.rename(to: folder.appending("x")) }) { error in
            XCTAssertEqual("\(error)", "rename \(missing): No such file or directory")
            XCTAssertEqual((error as NSError).domain, NSPOSIXErrorDomain)
            XCTAssertEqual((error as NSError).code, Int(Errno.noSuchFileOrDirectory.rawValue))
        }
    }
}
