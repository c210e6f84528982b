import Systemd
import XCTest

/// Metadata keys become valid journald field names.
final class JournalFieldTests: XCTestCase {
    func testFieldNamesFollowJournaldRules() {
        XCTAssertEqual(JournalLogHandler.fieldName("WEBBFLOW_STEP"), "WEBBFLOW_STEP")
        XCTAssertEqual(JournalLogHandler.fieldName("file.path"), "FILE_PATH")
        XCTAssertEqual(JournalLogHandler.fieldName("_SYSTEMD_UNIT"), "SYSTEMD_UNIT", "no trusted (underscore) fields")
        XCTAssertEqual(JournalLogHandler.fieldName("2fast"), "FAST")
        XCTAssertEqual(JournalLogHandler.fieldName("sl-service"), "SL_SERVICE")
        XCTAssertNil(JournalLogHandler.fieldName("__"))
        XCTAssertEqual(JournalLogHandler.fieldName(String(repeating: "a", count: 100))?.count, 64)
    }
}
