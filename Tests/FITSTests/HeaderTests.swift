import FITS
import TestSupport
import XCTest

final class HeaderTests: XCTestCase {
    private func roundTrip(_ header: Header) throws -> (Header, [String]) {
        let dir = try TemporaryDirectory()
        let path = dir.file("h.fits")
        try FITSWriter.write([HDU(header: header)], to: path)
        let file = try FITSFile(path: path)
        return (try file.header(at: 0), try file.records(at: 0))
    }

    func testTypedValuesRoundTrip() throws {
        var h = Header()
        h.set("TELESCOP", "JWST", comment: "telescope")
        h.set("PROGRAM", "01345")
        h.set("NINTS", 3)
        h.set("PIXAR_SR", .real(2.1066e-13))
        h.set("TARG_RA", .real(214.86602916666667))
        h.set("IS_IMPRT", false)
        h.set("DATE-OBS", "2022-12-20")
        h.set("EMPTY", "")
        let (back, _) = try roundTrip(h)
        XCTAssertEqual(back.string("TELESCOP"), "JWST")
        XCTAssertEqual(back.string("PROGRAM"), "01345", "zero-padded IDs stay strings")
        XCTAssertEqual(back.integer("NINTS"), 3)
        XCTAssertEqual(back.real("PIXAR_SR"), 2.1066e-13)
        XCTAssertEqual(back.real("TARG_RA"), 214.86602916666667, "doubles round-trip exactly")
        XCTAssertEqual(back.logical("IS_IMPRT"), false)
        XCTAssertEqual(back.string("DATE-OBS"), "2022-12-20")
        XCTAssertEqual(back.string("EMPTY"), "")
        XCTAssertEqual(back.cards.first { $0.keyword == "TELESCOP" }?.comment, "telescope")
    }

    func testLongStringsUseContinueAndLongstrn() throws {
        var h = Header()
        let region =
            "POLYGON ICRS  214.830478413 52.833591256 214.831040112 52.833964823 214.830472004 52.834352081 214.829910307 52.833978511"
        h.set("S_REGION", .string(region))
        let (back, records) = try roundTrip(h)
        XCTAssertEqual(back.string("S_REGION"), region)
        XCTAssertTrue(records.contains { $0.hasPrefix("CONTINUE") })
        XCTAssertTrue(records.contains { $0.hasPrefix("LONGSTRN= 'OGIP 1.0'") })
        // Writing the read header again must not duplicate LONGSTRN or its comments.
        let (again, againRecords) = try roundTrip(back)
        XCTAssertEqual(again.string("S_REGION"), region)
        XCTAssertEqual(againRecords.filter { $0.hasPrefix("LONGSTRN") }.count, 1)
    }

    func testCommentaryCardsKeepOrderAndText() throws {
        var h = Header()
        h.set("A", 1)
        h.addSection("Program information")
        h.addHistory("step one done")
        h.addComment("a remark")
        h.set("B", 2)
        let (back, _) = try roundTrip(h)
        XCTAssertEqual(back.history, ["step one done"])
        XCTAssertTrue(back.cards.contains { $0.kind == .blank && $0.comment.contains("Program information") })
        XCTAssertTrue(back.cards.contains { $0.kind == .comment && $0.comment == "a remark" })
        let keys = back.cards.filter(\.isValueCard).map(\.keyword)
        XCTAssertEqual(keys, ["A", "B"])
    }

    func testStructuralKeywordsAreNotCopiedTwice() throws {
        var h = Header()
        h.set("BITPIX", 16)
        h.set("NAXIS", 0)
        h.set("CHECKSUM", "garbage")
        h.set("KEEP", "yes")
        let (back, records) = try roundTrip(h)
        XCTAssertEqual(records.filter { $0.hasPrefix("BITPIX") }.count, 1)
        XCTAssertEqual(records.filter { $0.hasPrefix("CHECKSUM") }.count, 1)
        XCTAssertEqual(back.string("KEEP"), "yes")
        XCTAssertNil(back["BITPIX"], "structural keywords are derived from the data, not stored")
    }

    func testRealJWSTHeaderSurvivesARoundTrip() throws {
        let path = SharedData.path + "/real-samples/jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: path), "shared real samples not present")
        let original = try FITSFile(path: path).readAll()
        XCTAssertEqual(original[0].header.string("PROGRAM"), "01345")
        XCTAssertEqual(original[0].header.string("EXP_TYPE"), "NRS_MSASPEC")
        let dir = try TemporaryDirectory()
        let copy = dir.file("copy.fits")
        try FITSWriter.write(original, to: copy)
        let back = try FITSFile(path: copy).readAll()
        XCTAssertEqual(back.count, original.count)
        for (a, b) in zip(original, back) {
            XCTAssertTrue(identicalBits(a.payload, b.payload), "HDU \(a.name ?? "primary") data")
            XCTAssertEqual(a.header.cards.filter { $0.keyword != "LONGSTRN" }, b.header.cards.filter { $0.keyword != "LONGSTRN" })
        }
        if let verify = ExternalTool.run("fitsverify", ["-q", copy]) {
            XCTAssertTrue(verify.output.contains("verification OK"), verify.output)
        }
    }
}
