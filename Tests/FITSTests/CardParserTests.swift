import FITS
import Foundation
import TestSupport
import XCTest

/// The header cards of files written byte by byte, read back through the structure walk (the daemon's intake) and
/// through cfitsio's records: every value is known from the bytes written.
final class CardParserTests: XCTestCase {
    /// One 80-byte card from raw bytes, padded with blanks.
    private func card(_ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count <= 80)
        return bytes + [UInt8](repeating: 0x20, count: 80 - bytes.count)
    }

    private func card(_ text: String) -> [UInt8] { card(Array(text.utf8)) }

    /// A primary HDU without data holding `cards` (then END), padded to whole 2880-byte blocks.
    private func file(_ cards: [[UInt8]]) -> [UInt8] {
        var bytes = card("SIMPLE  =                    T") + card("BITPIX  =                    8") + card("NAXIS   =                    0")
        for c in cards { bytes += c }
        bytes += card("END")
        bytes += [UInt8](repeating: 0x20, count: (2880 - bytes.count % 2880) % 2880)
        return bytes
    }

    /// The primary header as intake reads it, checked against cfitsio's reading of the same file.
    private func header(_ cards: [[UInt8]], cfitsio: Bool = true) throws -> Header {
        let dir = try TemporaryDirectory("cards")
        let path = dir.file("h.fits")
        try Data(file(cards)).write(to: URL(fileURLWithPath: path))
        let survey = FITSStructure.survey(path, keepingHeaders: 1)
        XCTAssertEqual(survey.verdict, .complete(hduCount: 1))
        let header = try XCTUnwrap(survey.headers.first)
        if cfitsio { XCTAssertEqual(try FITSFile(path: path).header(at: 0), header, "the same header through cfitsio's records") }
        return header
    }

    func testValuesOfEveryType() throws {
        let h = try header([
            card("TELESCOP= 'JWST    '           / telescope used"),
            card("PROGRAM = '01345   '"),
            card("NINTS   =                   -3 / a negative integer"),
            card("BIG     = 99999999999999999999 / past Int64: read as a real"),
            card("PIXAR_SR=      2.1066275E-13"),
            card("DEXP    =              1.5D+03 / Fortran exponent"),
            card("LOWEXP  =               2.5e-1"),
            card("IS_IMPRT=                    F"),
            card("FLAG    =                    T / logical true"),
            card("UNDEF   =                      / no value at all"),
            card("CPLX    = (1.5, -2.0)          / complex: kept as its text"),
            card("NOTNUM  = NAN                  / not a FITS number"),
            card("HEXNUM  = 0x1p3"),
            card("lower   =                    7"),
        ])
        XCTAssertEqual(h["TELESCOP"], .string("JWST"))
        XCTAssertEqual(h.cards.first { $0.keyword == "TELESCOP" }?.comment, "telescope used")
        XCTAssertEqual(h["PROGRAM"], .string("01345"), "zero-padded identifiers stay strings")
        XCTAssertEqual(h["NINTS"], .integer(-3))
        XCTAssertEqual(h["BIG"], .real(1e20))
        XCTAssertEqual(h["PIXAR_SR"], .real(2.1066275e-13))
        XCTAssertEqual(h["DEXP"], .real(1500))
        XCTAssertEqual(h["LOWEXP"], .real(0.25))
        XCTAssertEqual(h["IS_IMPRT"], .logical(false))
        XCTAssertEqual(h["FLAG"], .logical(true))
        XCTAssertNil(h["UNDEF"])
        XCTAssertEqual(h.cards.first { $0.keyword == "UNDEF" }, HeaderCard(keyword: "UNDEF", kind: .value(nil), comment: "no value at all"))
        XCTAssertEqual(h["CPLX"], .string("(1.5, -2.0)"))
        XCTAssertEqual(h["NOTNUM"], .string("NAN"), "Swift would parse nan; FITS has no such real")
        XCTAssertEqual(h["HEXNUM"], .string("0x1p3"), "Swift would parse a hexadecimal float; FITS has none")
        XCTAssertEqual(h["LOWER"], .integer(7), "keywords are upper-cased")
        XCTAssertNil(h["BITPIX"], "structural keywords are left out")
    }

    func testQuotesCommentaryAndHierarch() throws {
        let h = try header([
            card("OBSERVER= 'O''Brien ''x'''     / doubled quotes"),
            card("SLASHED = 'a/b'                / the slash in the string is not the comment"),
            card("EMPTY   = ''"),
            card("LEADING = '  indented'"),
            card(""),
            card("        Program information"),
            card("HISTORY   step one done   "),
            card("COMMENT a remark"),
            card("NOVALUE this keyword has no value indicator"),
            card("HIERARCH ESO DET NAME = 'CCD#1' / a long keyword"),
        ])
        XCTAssertEqual(h["OBSERVER"], .string("O'Brien 'x'"))
        XCTAssertEqual(h.cards.first { $0.keyword == "OBSERVER" }?.comment, "doubled quotes")
        XCTAssertEqual(h["SLASHED"], .string("a/b"))
        XCTAssertEqual(h.cards.first { $0.keyword == "SLASHED" }?.comment, "the slash in the string is not the comment")
        XCTAssertEqual(h["EMPTY"], .string(""))
        XCTAssertEqual(h["LEADING"], .string("  indented"), "leading blanks are part of a string; trailing ones are not")
        XCTAssertEqual(
            h.cards.filter { $0.kind == .blank }.map(\.comment), ["", "Program information"], "blank cards keep their text from column 9")
        XCTAssertEqual(h.history, ["  step one done"])
        XCTAssertTrue(h.cards.contains(HeaderCard(keyword: "COMMENT", kind: .comment, comment: "a remark")))
        XCTAssertTrue(h.cards.contains(HeaderCard(keyword: "NOVALUE", kind: .comment, comment: "this keyword has no value indicator")))
        XCTAssertEqual(h["ESO DET NAME"], .string("CCD#1"))
    }

    /// Bytes a hostile or broken writer may put in a card: never a crash, never a card lost or merged.
    func testHostileCards() throws {
        let h = try header(
            [
                card(Array("TARGNAME= 'abc".utf8) + [0xFF, 0xFE] + Array("def' / c".utf8) + [0x80]),
                card("OPEN    = 'unterminated      / no closing quote"),
                card("NEXT    =                   12"),
            ], cfitsio: false)
        XCTAssertEqual(h["TARGNAME"], .string("abc\u{FFFD}\u{FFFD}def"), "bytes that are not text become U+FFFD")
        XCTAssertEqual(h.cards.first { $0.keyword == "TARGNAME" }?.comment, "c\u{FFFD}")
        XCTAssertEqual(h["OPEN"], .string("unterminated      / no closing quote"), "an unterminated string runs to the card's end")
        XCTAssertEqual(h.cards.first { $0.keyword == "OPEN" }?.comment, "")
        XCTAssertEqual(h["NEXT"], .integer(12), "the next card is read on its own")
    }

    /// A long string whose CONTINUE card starts the second 2880-byte block, and an END card that starts a block.
    func testCardsAcrossBlockBoundaries() throws {
        // SIMPLE, BITPIX, NAXIS and 32 filler cards fill 35 slots: the long string's head is card 36, the last of block one.
        var cards = (1...32).map { card(String(format: "FILL%04d=                  %3d", $0, $0)) }
        cards.append(card("S_REGION= 'POLYGON ICRS 1.0 2.0 &'"))
        cards.append(card("CONTINUE  '3.0 4.0&'"))
        cards.append(card("CONTINUE  ' 5.0' / footprint"))
        // END then lands on card 39; add cards until it is the first card of block three (card 73).
        cards += (1...34).map { card(String(format: "MORE%04d=                  %3d", $0, $0)) }
        let h = try header(cards)
        XCTAssertEqual(h["S_REGION"], .string("POLYGON ICRS 1.0 2.0 3.0 4.0 5.0"))
        XCTAssertEqual(h.cards.first { $0.keyword == "S_REGION" }?.comment, "footprint")
        XCTAssertEqual(h.cards.filter(\.isValueCard).count, 32 + 1 + 34)
        XCTAssertEqual(h["MORE0034"], .integer(34))
    }

    /// Cards after END (garbage a writer left in the last block) are not part of the header.
    func testNothingAfterEnd() throws {
        var bytes = file([card("KEPT    =                    1")])
        let end = try XCTUnwrap(stride(from: 0, to: bytes.count, by: 80).first { bytes[$0..<($0 + 3)].elementsEqual("END".utf8) })
        bytes.replaceSubrange((end + 80)..<(end + 160), with: card("AFTER   =                    2"))
        let dir = try TemporaryDirectory("cards")
        try Data(bytes).write(to: URL(fileURLWithPath: dir.file("h.fits")))
        let h = try XCTUnwrap(FITSStructure.survey(dir.file("h.fits"), keepingHeaders: 1).headers.first)
        XCTAssertEqual(h["KEPT"], .integer(1))
        XCTAssertNil(h["AFTER"])
    }

    /// Real headers (CEERS NIRSpec MOS, a MIRI cube, a NIRCam raw file, a CRDS reference file): the structure walk's
    /// reading equals cfitsio's records read through the same parser, and known values come out typed.
    func testRealHeadersReadTheSameFromBytesAndFromCfitsio() throws {
        let folder = SharedData.path + "/real-samples"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasSuffix(".fits") }.sorted() ?? []
        try XCTSkipIf(names.isEmpty, "shared real samples not present")
        for name in names {
            let path = "\(folder)/\(name)"
            let survey = FITSStructure.survey(path, keepingHeaders: 2)
            let file = try FITSFile(path: path)
            XCTAssertEqual(survey.headers.count, min(2, try file.hduCount()), name)
            for (index, header) in survey.headers.enumerated() {
                XCTAssertEqual(header, try file.header(at: index), "\(name) HDU \(index)")
            }
        }
        let mos = FITSStructure.survey("\(folder)/jw01345062001_03101_00001_nrs2_phot.138.1345_933.fits").headers
        XCTAssertEqual(mos[0].string("PROGRAM"), "01345")
        XCTAssertEqual(mos[0].string("EXP_TYPE"), "NRS_MSASPEC")
        XCTAssertEqual(mos[1].extensionName, "SCI")
    }
}
