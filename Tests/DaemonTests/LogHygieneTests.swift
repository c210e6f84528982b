import Daemon
import Foundation
import XCTest

/// Header values reach the log escaped: a newline in PROGRAM cannot forge a log line, and ANSI escapes do not reach
/// the terminal raw.
final class LogHygieneTests: XCTestCase {
    func testANewlineAndAnsiEscapesInProgramAreEscapedInTheLog() async throws {
        let tree = try DaemonTree("webbflow-forge")
        let file = try TestExposures.bytes(exposure: 1)
        var data = [UInt8](file.data)
        let card = try XCTUnwrap(stride(from: 0, to: 2880, by: 80).first { data[$0..<($0 + 9)].elementsEqual("PROGRAM =".utf8) })
        let hostile = "'04242\nFORGED critical : the daemon was compromised \u{1B}[31mRED\u{1B}[0m'"
        data.replaceSubrange(
            (card + 10)..<(card + 80), with: Array((hostile + String(repeating: " ", count: 70 - hostile.utf8.count)).utf8))
        try TestExposures.writeInPlace(Data(data), to: "\(tree.inbox)/\(file.name)")
        try await tree.runUntilIdle()

        let log = tree.log
        XCTAssertTrue(log.contains("04242\\nFORGED critical"), "the value is in the log, escaped:\n\(log.suffix(3000))")
        XCTAssertFalse(log.split(separator: "\n").contains { $0.hasPrefix("FORGED") }, "no forged line")
        XCTAssertFalse(log.utf8.contains(0x1B), "no raw escape character")
        XCTAssertTrue(log.contains("\\u{1B}[31mRED"), "the escape is shown")
    }

    func testControlCharactersBecomeVisibleEscapes() {
        XCTAssertEqual(EscapingLogHandler.escaped("a\nb\r\tc\u{1B}[0m\u{7F}\u{202E}d"), "a\\nb\\r\\tc\\u{1B}[0m\\u{7F}\\u{202E}d")
        XCTAssertEqual(EscapingLogHandler.escaped("jw01345 ÅÉ 04242"), "jw01345 ÅÉ 04242", "printable text is left alone")
    }
}
