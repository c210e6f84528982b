import AdaptiveTraceModel
import FITS
import Pipeline
import Simulator
import XCTest

/// Outside the slices the product is what jwst's `match_nans_and_flags` leaves: NaN in every value plane, the
/// nearest native pixel's DQ with DO_NOT_USE added; REGIONS is the nearest native pixel's everywhere. Checked
/// pixel by pixel on both orientations (NIRSpec: oversampled along y; MIRI MRS: along x).
final class ATMBackgroundTests: XCTestCase {
    static let valuePlanes = ["SCI", "ERR", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT", "WAVELENGTH", "TRACEMODEL"]

    func testNIRSpecBackgroundIsNaNAndFlagged() async throws {
        try assertBackground(try await SharedRuns.pointN3.value, alongX: false)
    }

    func testMIRIBackgroundIsNaNAndFlagged() async throws {
        try assertBackground(try await ATMRun(MIRIMRSCalRecipe(), seed: 4, settings: ["channels=1"]), alongX: true)
    }

    private func assertBackground(_ run: ATMRun, alongX: Bool) throws {
        let n = run.n, shift = Double(n - 1) / Double(2 * n)
        let input = run.file.exposure
        let regionsIn = input.hdu("REGIONS")!.image!.signed32().pixels
        let dqIn = try input.unsignedImage("DQ").pixels
        let width = try input.floatImage("SCI").width
        let regions = run.regions(), dq = run.dq()
        let planes = Self.valuePlanes.map { run.image($0) }
        let outWidth = planes[0].width, outHeight = planes[0].height
        XCTAssertEqual(outWidth * outHeight, regionsIn.count * n)
        let dnu = DataQuality.doNotUse.rawValue
        var background = 0, wrong = 0
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let k = alongX ? x : y, native = alongX ? outWidth / n : outHeight / n
                let nearest = min(native - 1, max(0, Int((Double(k) / Double(n) - shift).rounded())))
                let i = alongX ? y * width + nearest : nearest * width + x
                let o = y * outWidth + x
                if regions[o] != regionsIn[i] { wrong += 1; continue }
                guard regionsIn[i] == 0 else { continue }
                background += 1
                if dq[o] != dqIn[i] | dnu || planes.contains(where: { !$0.pixels[o].isNaN }) { wrong += 1 }
            }
        }
        XCTAssertGreaterThan(background, regionsIn.count / 10, "the scene leaves detector pixels outside the slices")
        XCTAssertEqual(wrong, 0, "pixels whose REGIONS, DQ or NaN background differ from the nearest native pixel's")
    }
}
