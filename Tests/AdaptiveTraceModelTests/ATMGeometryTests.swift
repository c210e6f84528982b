import AdaptiveTraceModel
import FITS
import Simulator
import XCTest

/// The geometry derived from REGIONS alone against the simulator's along-slice coordinate.
final class ATMGeometryTests: XCTestCase {
    func testAlphaFromRegionsFollowsTheTrueCentreLine() throws {
        let file = try NIRSpecIFUCalRecipe().generate(seed: 11, assignments: ["cosmic_rays=0"])[0]
        let regions = file.exposure.hdu("REGIONS")!.image!.signed32()
        let truth = try XCTUnwrap(file.truthImage("ALPHA")).pixels
        let geometry = TraceGeometry(layout: FrameLayout(detectorAxes: regions.axes, dispersionAlongY: false), regions: regions.pixels)
        var worst = 0.0, compared = 0
        for i in truth.indices where regions.pixels[i] > 0 && truth[i].isFinite {
            worst = max(worst, abs(Double(geometry.alpha[i]) - Double(truth[i])))
            compared += 1
        }
        XCTAssertGreaterThan(compared, 1_000_000)
        // The slices' edge steps pin the centre line to a few hundredths of a pixel (a fit through the columns'
        // mid-rows was off by up to 0.56 px on slices whose tilt changes slowly); 0.05 px is a tenth of the
        // spline's knot spacing.
        XCTAssertLessThan(worst, 0.05, "worst |alpha − true alpha| \(worst) px")
    }
}
