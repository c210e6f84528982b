import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

@testable import SlitExtraction

/// MOS traces placed from the headers as MAST writes them: SHUTSTA's 'x' names the shutter the source was planned
/// in and SRCYPOS its place in it, so the nods' positions along the slitlet are known in shutter pitches.
final class MOSPlacementTests: XCTestCase {
    /// The simulated nod-subtracted MOS observation of the slit step's accuracy tests.
    static let seed: UInt64 = 43

    /// Issue target, through the header placement: every source within 1 % rel rms of the truth and ≥ 5× better than
    /// the box, each nod's trace where the truth has it (0.02 px, the single-slit target).
    func testHeaderPlacedSourcesMeetTheTargets() throws {
        let files = try NIRSpecMOSRecipe().generate(seed: Self.seed, assignments: [])
        var options = ExtractionOptions()
        options.tracePlacement = .headers
        var sources: [Int] = []
        for version in 1...4 where files[0].truth!.hdu(named: "SPECTRUM", version: version)!.header.logical("HASSRC") == true {
            let s = try SlitScenario(files: files, version: version, options: options)
            let source = try XCTUnwrap(s.truthHeader.integer("SOURCEID"))
            sources.append(source)
            XCTAssertTrue(s.result.placedFromHeaders, "source \(source)")
            XCTAssertLessThanOrEqual(s.spectrumError, 0.01, "source \(source)")
            XCTAssertGreaterThanOrEqual(s.boxError / s.spectrumError, 5, "source \(source): box \(s.boxError) vs fit \(s.spectrumError)")
            for (fit, truth) in zip(s.result.traceCentres, s.trueTraceCentres) {
                XCTAssertEqual(fit, truth, accuracy: 0.02, "source \(source)")
            }
        }
        XCTAssertEqual(sources, [1001, 1002, 1003])
    }

    /// The placement itself follows the headers: with each nod's SHUTSTA and SRCYPOS as written, every nod's trace
    /// is placed within half a pixel of the truth (the pointing error is 0.15 px rms, the search steps 0.1 px); with
    /// the middle nod's SRCYPOS off by 0.4 of a shutter (2.1 px), no placement fits all three nods and some nod's
    /// trace is placed more than a pixel from where it is.
    func testAWrongSRCYPOSMovesThePlacedTrace() throws {
        let files = try NIRSpecMOSRecipe().generate(seed: Self.seed, assignments: [])
        let truth = try XCTUnwrap(files[0].truth?.hdu(named: "SPECTRUM", version: 1)?.header)
        let trueCentres = try (1...3).map { try XCTUnwrap(truth.real("TRCY\($0)")) }
        func placed(_ exposures: [Exposure]) throws -> [Double] {
            let frames = try exposures.map { try SlitInput($0, version: 1).frame }
            return try NodPlacement.place(frames, mixing: NodMixing(frames: frames)).map { $0.centre(at: $0.reference) }
        }
        var exposures = files.map(\.exposure)
        for (found, expected) in zip(try placed(exposures), trueCentres) { XCTAssertEqual(found, expected, accuracy: 0.5) }

        let science = try XCTUnwrap(exposures[1].hdus.index(named: "SCI", version: 1))
        let position = try XCTUnwrap(exposures[1].hdus[science].header.real("SRCYPOS"))
        exposures[1].hdus[science].header.set("SRCYPOS", .real(position + 0.4))
        let moved = try placed(exposures)
        let worst = zip(moved, trueCentres).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(worst, 1, "the placement follows SRCYPOS: \(moved) vs \(trueCentres)")
    }
}
