import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// Statistics of the simulated IFU exposures: the noise matches ERR, the truth holds the flux put in, and the
/// trace's sampling phase drifts at the requested rate.
final class IFUSimulatorTests: XCTestCase {
    func testNoiseMatchesErrorArray() throws {
        let file = try MIRIMRSCalRecipe().generate(seed: 3, assignments: ["cosmic_rays=0", "bad_clusters=0", "cluster_on_trace=false"])[0]
        let sci = try file.exposure.floatImage("SCI").pixels, err = try file.exposure.floatImage("ERR").pixels
        let truth = try XCTUnwrap(file.truthImage("SIGNAL")).pixels
        var sum = 0.0, sumSq = 0.0, n = 0.0
        for i in sci.indices where sci[i].isFinite {
            let z = Double(sci[i] - truth[i]) / Double(err[i])
            sum += z; sumSq += z * z; n += 1
        }
        let mean = sum / n, sd = (sumSq / n - mean * mean).squareRoot()
        // ~420k pixels: the standard deviation of the pulls is known to ±0.2 %; 1.5 % allows the Poisson
        // distribution's departure from a Gaussian at low counts.
        XCTAssertEqual(sd, 1, accuracy: 0.015)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
    }

    func testTruthHoldsTheFluxPutIn() throws {
        let recipe = NIRSpecIFUCalRecipe()
        let file = try recipe.generate(seed: 1, assignments: ["cosmic_rays=0", "bad_clusters=0", "fwhm=1.4", "flux=1000"])[0]
        let signal = try XCTUnwrap(file.truthImage("SIGNAL"))
        let regions = try XCTUnwrap(file.exposure.hdu("REGIONS")?.image?.signed32()).pixels
        let scene = IFUSceneKind.point.scene(wavelengths: NIRSpecIFUCalRecipe.wavelengths, flux: 1000, fwhm: 1.4, alpha: 0.3)
        let layout = IFULayouts.nirspec(detector: "NRS1", phaseCycle: 128)
        for x in [300, 1024, 1800] {
            var total = 0.0
            for y in 0..<2048 where regions[y * 2048 + x] > 0 { total += Double(signal.pixels[y * 2048 + x]) }
            let slice = layout.slices[15]
            let alpha = try XCTUnwrap(file.truthImage("ALPHA")).pixels
            let lowest = (0..<2048).filter { regions[$0 * 2048 + x] == 16 }.map { Double(alpha[$0 * 2048 + x]) }.min()!
            let lambda = slice.wavelength(at: Double(x), dispersionLength: 2048)
            // Independent check: the PSF integrated numerically (midpoint rule, 1/20 px) over the 30 slices x 30 px.
            let psf = scene.psf
            let scale = lambda / psf.referenceWavelength
            let sigma = psf.coreFWHM / 2.354820045 * scale, gamma = psf.wingWidth * scale
            var captured = 0.0
            let step = 0.05
            var b = -15.5 + step / 2
            while b < 14.5 {
                var a = lowest - 0.5 - 0.3 + step / 2
                while a < lowest + 29.5 - 0.3 {
                    let r2 = a * a + b * b
                    let core = exp(-r2 / (2 * sigma * sigma)) / (2 * .pi * sigma * sigma)
                    let wing = pow(1 + r2 / (gamma * gamma), -1.5) / (2 * .pi * gamma * gamma)
                    captured += ((1 - psf.wingFraction) * core + psf.wingFraction * wing) * step * step
                    a += step
                }
                b += step
            }
            let expected = 1000 * scene.sources[0].spectrum.value(at: lambda) * captured
            // 0.5 %: the simulator integrates the wings across a slice with Simpson's rule (3 points).
            XCTAssertEqual(total / expected, 1, accuracy: 0.005, "column \(x)")
        }
    }

    func testSamplingPhaseDriftsAsRequested() throws {
        for cycle in [60.0, 250.0] {
            let file = try NIRSpecIFUCalRecipe().generate(
                seed: 2, assignments: ["phase_cycle=\(cycle)", "cosmic_rays=0", "bad_clusters=0"])[0]
            let alpha = try XCTUnwrap(file.truthImage("ALPHA")).pixels
            let regions = try XCTUnwrap(file.exposure.hdu("REGIONS")?.image?.signed32()).pixels
            // Centre line of slice 16 from the truth: c(x) = y - alpha(y, x); its slope at mid-detector is the drift.
            func centre(_ x: Int) -> Double {
                for y in 0..<2048 where regions[y * 2048 + x] == 16 { return Double(y) - Double(alpha[y * 2048 + x]) }
                return .nan
            }
            let slope = (centre(1034) - centre(1014)) / 20
            XCTAssertEqual(1 / abs(slope), cycle, accuracy: 0.02 * cycle)
        }
    }

    func testMIRILayoutAndDeterminism() throws {
        let a = try MIRIMRSCalRecipe().generate(seed: 9)[0], b = try MIRIMRSCalRecipe().generate(seed: 9)[0]
        XCTAssertEqual(try a.exposure.floatImage("SCI").pixels.map(\.bitPattern), try b.exposure.floatImage("SCI").pixels.map(\.bitPattern))
        let regions = try XCTUnwrap(a.exposure.hdu("REGIONS")?.image?.signed32())
        XCTAssertEqual(regions.axes, [1032, 1024])
        let ids = Set(regions.pixels.filter { $0 > 0 })
        XCTAssertEqual(ids, Set((101...121).map(Int32.init) + (201...217).map(Int32.init)))
        let wave = try a.exposure.floatImage("WAVELENGTH")
        let columns = (0..<1032).filter { regions.pixels[500 * 1032 + $0] == 111 }
        let x = columns[columns.count / 2]
        XCTAssertGreaterThan(wave[x, 800], wave[x, 200], "dispersion runs along y")
        let one = try MIRIMRSCalRecipe().generate(seed: 9, assignments: ["channels=1"])[0]
        XCTAssertEqual(Set(try XCTUnwrap(one.exposure.hdu("REGIONS")?.image?.signed32()).pixels.filter { $0 > 0 }).count, 21)
    }
}
