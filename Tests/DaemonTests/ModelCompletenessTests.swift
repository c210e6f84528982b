import Daemon
import Foundation
import XCTest

/// A resumed download that paused exactly at an HDU boundary is whole as FITS but lacks the extensions its data
/// model implies: it is recorded as incomplete, nothing is published from it, and it is taken once it is complete.
final class ModelCompletenessTests: XCTestCase {
    func testAFilePausedAtAnHDUBoundaryIsIncompleteUntilTheRestArrives() async throws {
        // PRIMARY, SCI and ERR present; DQ, the variances and ASDF still to come.
        try await assertIncompleteUntilComplete(cutBefore: "DQ", reasonMentions: "DQ")
    }

    /// Every extension of the image set there, the trailing ASDF extension not yet.
    func testAFileWithoutItsTrailingASDFExtensionIsIncompleteUntilItArrives() async throws {
        try await assertIncompleteUntilComplete(cutBefore: "ASDF", reasonMentions: "ASDF not there yet")
    }

    /// Writes an exposure up to the extension `name`, checks that the daemon records it as incomplete with a reason
    /// mentioning `reasonMentions` and publishes nothing, then appends the rest and checks that it is processed.
    private func assertIncompleteUntilComplete(cutBefore name: String, reasonMentions: String) async throws {
        let tree = try DaemonTree("webbflow-boundary")
        let file = try TestExposures.bytes(exposure: 1)
        let data = [UInt8](file.data)
        let boundary = try XCTUnwrap(
            stride(from: 0, to: data.count, by: 2880).first { start in
                data[start..<(start + 9)].elementsEqual("XTENSION=".utf8)
                    && String(decoding: data[start..<(start + 2880)], as: UTF8.self).contains("EXTNAME = '\(name)")
            })
        let path = "\(tree.inbox)/\(file.name)"
        try TestExposures.writeInPlace(Data(data[..<boundary]), to: path)
        try await tree.runUntilIdle()
        let report = try tree.status()
        XCTAssertEqual(report.files, ["incomplete": 1], tree.log.suffix(2000).description)
        XCTAssertTrue(tree.products().isEmpty, "nothing published from the partial file")
        XCTAssertEqual(report.skipped.first?.reason.contains(reasonMentions), true, "the reason names what is missing: \(report.skipped)")

        try TestExposures.append(Data(data[boundary...]), to: path)
        try await tree.runUntilIdle()
        XCTAssertEqual(try tree.status().files, ["incomplete": 1, "routed": 1])
        XCTAssertNotNil(tree.product(of: file.name), "the complete file is processed")
    }
}
