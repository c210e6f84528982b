import FITS
import Foundation
import NSClean
import Pipeline
import Simulator
import XCTest

/// Whole-image cleaning: synthetic edge cases and the simulator's truth.
final class FlickerCleanerTests: XCTestCase {
    /// Columns (detector lines along DMS y) with a smooth per-column background plus white noise.
    private func bandedImage(width: Int, height: Int, seed: UInt64) -> (image: Image<Float>, background: [Float]) {
        var rng = SeededRandom(seed: seed)
        var pixels = [Float](repeating: 0, count: width * height)
        var background = [Float](repeating: 0, count: width * height)
        for x in 0..<width {
            let a = rng.gaussian(), b = rng.gaussian(), c = rng.gaussian()
            for y in 0..<height {
                let t = 2 * Double.pi * Double(y) / Double(height)
                let level = 0.5 * a + 0.3 * b * cos(t) + 0.2 * c * sin(2 * t)
                background[y * width + x] = Float(level)
                pixels[y * width + x] = Float(level + 0.05 * rng.gaussian())
            }
        }
        return (Image(axes: [width, height], pixels: pixels), background)
    }

    private func columnResidualRMS(_ cleaned: Image<Float>, column x: Int) -> Double {
        var sum = 0.0
        for y in 0..<cleaned.height { sum += Double(cleaned[x, y] * cleaned[x, y]) }
        return (sum / Double(cleaned.height)).squareRoot()
    }

    /// The reference (jwst 3.0.0) centres its density kernel one pixel off, so the line after a fully masked one
    /// gets weights of ~1e12 and a garbage model (notes B.5.1). Here a fully masked line is left unchanged and
    /// its neighbour is cleaned like any other line.
    func testFullyMaskedLineLeavesNeighbourClean() throws {
        let (image, background) = bandedImage(width: 12, height: 2048, seed: 3)
        var mask = Image<UInt8>(axes: [12, 2048], repeating: 1)
        for y in 0..<2048 { for x in [0, 1, 2, 3, 5] { mask[x, y] = 0 } }
        let result = try FlickerCleaner.clean(science: image, quality: nil, userMask: mask, options: CleaningOptions())
        XCTAssertEqual(result.linesEmpty, 5)
        for y in 0..<2048 { XCTAssertEqual(result.cleaned[5, y], image[5, y]) }
        // White noise 0.05 remains; the fit of 17 parameters to 2048 samples adds ~0.05·√(17/2048) ≈ 0.005.
        for x in [4, 6, 7, 11] {
            XCTAssertLessThan(columnResidualRMS(result.cleaned, column: x), 0.06, "column \(x)")
        }
        // Sanity: before cleaning the columns carry the 0.3–0.5 backgrounds.
        let before = (0..<2048).map { Double(background[$0 * 12 + 6]) }.map { $0 * $0 }.reduce(0, +) / 2048
        XCTAssertGreaterThan(before.squareRoot(), 0.06)
    }

    func testAllNaNImageIsLeftAsIs() throws {
        let image = Image<Float>(axes: [32, 256], repeating: .nan)
        let result = try FlickerCleaner.clean(science: image, quality: nil, userMask: nil, options: CleaningOptions())
        XCTAssertEqual(result.linesEmpty, 32)
        XCTAssertEqual(result.linesFitted + result.linesReduced, 0)
        XCTAssertTrue(result.cleaned.pixels.allSatisfy { $0.isNaN })
        XCTAssertTrue(result.mask().pixels.allSatisfy { $0 == 0 })
    }

    func testMaskOfWrongShapeIsAClearError() {
        let image = Image<Float>(axes: [32, 256], repeating: 1)
        let mask = Image<UInt8>(axes: [256, 32], repeating: 1)
        XCTAssertThrowsError(try FlickerCleaner.clean(science: image, quality: nil, userMask: mask, options: CleaningOptions())) { error in
            XCTAssertEqual("\(error)", "user mask has shape 256x32, the science data 32x256")
        }
    }

    // MARK: against the simulator's truth

    /// The correlated noise a 9-frequency line model can represent: the truth (1/f + picture frame) of every
    /// column projected on the apodized low frequencies. The fitted model must match it; the rest of the
    /// 1/f noise (above ~8 cycles per line) is out of reach by design.
    private func removableTruth(_ correlated: Image<Float>) -> [Float] {
        let width = correlated.width, n = correlated.height
        let gains = Apodizer(lineLength: n, fullFrameFrequencies: 9).gains
        let cosines = gains.indices.map { k in (0..<n).map { cos(2 * Double.pi * Double(k * $0) / Double(n)) } }
        let sines = gains.indices.map { k in (0..<n).map { sin(2 * Double.pi * Double(k * $0) / Double(n)) } }
        var out = [Float](repeating: 0, count: width * n)
        var line = [Double](repeating: 0, count: n)
        for x in 0..<width {
            for y in 0..<n { line[y] = 0 }
            for k in gains.indices {
                var re = 0.0, im = 0.0
                for y in 0..<n {
                    re += Double(correlated.pixels[y * width + x]) * cosines[k][y]
                    im += Double(correlated.pixels[y * width + x]) * sines[k][y]
                }
                let scale = (k == 0 ? 1.0 : 2.0) * gains[k] / Double(n)
                for y in 0..<n { line[y] += scale * (re * cosines[k][y] + im * sines[k][y]) }
            }
            for y in 0..<n { out[y * width + x] = Float(line[y]) }
        }
        return out
    }

    private func cleanSimulated(_ assignments: [String], seed: UInt64 = 5) throws -> (file: SimulatedFile, result: CleaningResult) {
        let started = Date()
        let file = try NIRSpecRateRecipe().generate(seed: seed, assignments: assignments)[0]
        let simulated = Date(), cpu = clock()
        let result = try FlickerCleaner.clean(
            science: try file.exposure.floatImage("SCI"), quality: try file.exposure.unsignedImage("DQ"),
            userMask: nil, options: CleaningOptions())
        print(
            "\(assignments.joined(separator: " ")): simulated in \(simulated.timeIntervalSince(started)) s, "
                + "cleaned in \(Date().timeIntervalSince(simulated)) s wall, \(Double(clock() - cpu) / Double(CLOCKS_PER_SEC)) s CPU")
        return (file, result)
    }

    func testIFUModelMatchesRemovableTruth() throws {
        for detector in ["NRS1", "NRS2"] {
            let (file, result) = try cleanSimulated(["mode=ifu", "detector=\(detector)"])
            let oneOverF = file.truthImage("ONE_OVER_F")!, frame = file.truthImage("PICTURE_FRAME")!
            let correlated = Image(axes: oneOverF.axes, pixels: zip(oneOverF.pixels, frame.pixels).map { $0 + $1 })
            let target = removableTruth(correlated)
            let dq = try file.exposure.unsignedImage("DQ")
            let background = result.background()
            var error = 0.0, power = 0.0, count = 0.0
            for i in 0..<target.count where dq.pixels[i] & DataQuality.referencePixel.rawValue == 0 {
                let d = Double(background.pixels[i] - target[i])
                error += d * d; power += Double(target[i] * target[i]); count += 1
            }
            let relative = (error / power).squareRoot()
            // Expected fit noise: white + Poisson σ ≈ 0.011 DN/s over ~800 weighted background samples per line and
            // 17 parameters gives ≈ 0.011·√(17/800) ≈ 0.0016 DN/s against a removable signal of ≈ 0.0045 DN/s,
            // i.e. ≈ 0.35 relative; faint trace wings left in the automatic mask add a little. Measured: see report.
            print("\(detector): model vs removable truth, relative rms error \(relative)")
            XCTAssertLessThan(relative, 0.5, "\(detector): model vs removable truth")
            XCTAssertEqual(result.linesEmpty, 8, "\(detector): only the 8 reference-pixel columns have no background")
        }
    }

    /// Reference pixels do not see the banding: their values pass through bit for bit, with a zero model, and no
    /// pixel that DQ excludes is in the mask. Both come from DQ through `PixelClasses`.
    func testReferencePixelsPassThroughAndExcludedPixelsStayOutOfTheMask() throws {
        let (file, result) = try cleanSimulated(["mode=ifu", "detector=NRS2"])
        let science = try file.exposure.floatImage("SCI"), dq = try file.exposure.unsignedImage("DQ")
        let background = result.background(), mask = result.mask()
        var reference = 0, altered = 0, modelled = 0, maskedExcluded = 0, changed = 0
        for i in 0..<science.pixels.count {
            let flags = dq.pixels[i]
            if flags & BackgroundMask.excludedQuality.rawValue != 0, mask.pixels[i] != 0 { maskedExcluded += 1 }
            if flags & DataQuality.referencePixel.rawValue != 0 {
                reference += 1
                if result.cleaned.pixels[i].bitPattern != science.pixels[i].bitPattern { altered += 1 }
                if background.pixels[i] != 0 { modelled += 1 }
            } else if result.cleaned.pixels[i] != science.pixels[i] {
                changed += 1
            }
        }
        XCTAssertEqual(reference, 4 * 2048 * 2 + 4 * 2040 * 2, "the simulator flags a 4-px reference border")
        XCTAssertEqual(altered, 0, "reference pixels changed by the cleaning")
        XCTAssertEqual(modelled, 0, "reference pixels with a non-zero model")
        XCTAssertEqual(maskedExcluded, 0, "pixels excluded by DQ used as background")
        XCTAssertGreaterThan(changed, science.pixels.count / 2, "the other pixels are cleaned")
    }

    func testFixedSlitSignalIsPreserved() throws {
        let (file, result) = try cleanSimulated(["mode=fixedslit", "detector=NRS2"])
        let signal = file.truthImage("SIGNAL")!
        let science = try file.exposure.floatImage("SCI")
        let err = try file.exposure.floatImage("ERR")
        let oneOverF = file.truthImage("ONE_OVER_F")!, frame = file.truthImage("PICTURE_FRAME")!
        var bias = 0.0, count = 0.0
        var sigmas: [Float] = []
        for i in 0..<signal.count where signal.pixels[i] > 0.05 && science.pixels[i].isFinite {
            // Cleaned minus what the pixel would read without correlated noise.
            bias += Double(result.cleaned.pixels[i] - (science.pixels[i] - oneOverF.pixels[i] - frame.pixels[i]))
            count += 1
            sigmas.append(err.pixels[i])
        }
        sigmas.sort()
        let sigma = Double(sigmas[sigmas.count / 2])
        // The issue's target: the mean change inside traces stays below 0.1 sigma of the noise.
        print("fixed slit: mean change in traces vs truth \(bias / count / sigma) sigma")
        XCTAssertLessThan(abs(bias / count) / sigma, 0.1)
    }

    /// SUBS200A1 lines are 64 px long: only the line mean is fitted (the cut-off is fixed in cycles per pixel).
    func testSubarrayRemovesColumnOffsets() throws {
        let (file, result) = try cleanSimulated(["mode=fixedslit", "subarray=SUBS200A1"])
        XCTAssertEqual(result.cleaned.axes, [2048, 64])
        let signal = file.truthImage("SIGNAL")!, white = file.truthImage("READ_NOISE")!, poisson = file.truthImage("POISSON_NOISE")!
        let science = try file.exposure.floatImage("SCI")
        func columnMeanRMS(_ image: Image<Float>) -> Double {
            var total = 0.0, columns = 0.0
            for x in 4..<2044 {
                var sum = 0.0, n = 0.0
                for y in 0..<64 where signal[x, y] == 0 && image[x, y].isFinite {
                    sum += Double(image[x, y] - white[x, y] - poisson[x, y]); n += 1
                }
                if n > 0 { total += (sum / n) * (sum / n); columns += 1 }
            }
            return (total / columns).squareRoot()
        }
        let before = columnMeanRMS(science), after = columnMeanRMS(result.cleaned)
        // Column offsets are what short-line banding is; the per-column mean from ~30 dark pixels with
        // σ ≈ 0.008 has an error of ≈ 0.0015 DN/s against offsets of ≈ 0.005 DN/s.
        print("SUBS200A1 column-offset rms: before \(before), after \(after)")
        XCTAssertLessThan(after, 0.5 * before, "before \(before), after \(after)")
    }

    func testRateintsCleansEveryIntegrationWithOneMask() throws {
        let (file, result) = try cleanSimulated(["mode=fixedslit", "subarray=SUBS1600A1", "ints=3"])
        XCTAssertEqual(result.cleaned.axes, [2048, 256, 3])
        XCTAssertEqual(result.mask().axes, [2048, 256])
        let oneOverF = file.truthImage("ONE_OVER_F")!, frame = file.truthImage("PICTURE_FRAME")!
        let science = try file.exposure.floatImage("SCI")
        let size = 2048 * 256
        let background = result.background()
        for plane in 0..<3 {
            var before = 0.0, after = 0.0
            for i in (plane * size)..<((plane + 1) * size) where science.pixels[i].isFinite {
                let truth = Double(oneOverF.pixels[i] + frame.pixels[i])
                before += truth * truth
                let left = truth - Double(background.pixels[i])
                after += left * left
            }
            // 256-px lines keep k = 0 and 1; the line means carry most of the correlated power of short lines.
            print("rateints integration \(plane): correlated power left \(after / before)")
            XCTAssertLessThan(after, 0.8 * before, "integration \(plane)")
        }
    }
}
