import Optics
import XCTest

/// The physical PSF against properties it must have: unit sum, and a turn of the pupil turning the PSF the same way.
/// (The PSF, |FT(pupil)|², is point-symmetric, so a turn and its mirror turn give the same PSF for this pupil.)
final class FraunhoferPSFTests: XCTestCase {
    let settings = FraunhoferPSF.Settings(pixelScale: 0.02, size: 41, oversample: 1, jitter: 0)

    private func psf(turnedBy degrees: Double) -> [Double] {
        var pupil = JWSTPupil()
        pupil.rotation = degrees * .pi / 180
        return FraunhoferPSF.image(wavelength: 2, settings: settings, pupil: pupil)
    }

    /// Largest difference between two PSFs, in units of the first one's peak.
    private func worstDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max()! / a.max()!
    }

    func testAQuarterTurnOfThePupilTurnsThePSFCounterClockwise() {
        let straight = psf(turnedBy: 0), turned = psf(turnedBy: 90)
        XCTAssertEqual(turned.reduce(0, +), 1, accuracy: 1e-9)
        let n = settings.size, c = n / 2
        // Counter-clockwise (x right, y up, row-major y·n + x): the point (x, y) goes to (−y, x).
        var rotated = [Double](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n { rotated[(c + (x - c)) * n + (c - (y - c))] = straight[y * n + x] }
        }
        XCTAssertLessThan(worstDifference(rotated, turned), 1e-3, "the PSF turned by 90° counter-clockwise")
    }

    func testTheHexagonalPatternTurnsWithThePupil() {
        // Hexagonal segments and three struts 120° apart: a sixth of a turn gives the pupil's point reflection, hence
        // the same PSF; a twelfth of a turn moves the six diffraction spikes half-way between their places.
        let sixth = worstDifference(psf(turnedBy: 0), psf(turnedBy: 60)), twelfth = worstDifference(psf(turnedBy: 0), psf(turnedBy: 30))
        XCTAssertLessThan(sixth, 1e-9)
        XCTAssertGreaterThan(twelfth, 1e-3)
    }
}
