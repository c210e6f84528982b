import FITS
import Foundation
import Pipeline
import Simulator
import TestSupport
import XCTest

/// The fixed-slit and LRS recipes: determinism, the statistics of what they draw, and the JWST layout they write.
final class SlitRecipeTests: XCTestCase {
    private func frames(_ recipe: any SimulationRecipe, seed: UInt64 = 7, _ sets: [String] = []) throws -> [SimulatedFile] {
        try recipe.generate(seed: seed, assignments: sets)
    }

    func testSameSeedSameFilesAndDifferentSeedDifferentNoise() throws {
        // Bit patterns, not values: the files hold NaN pixels (NaN ≠ NaN).
        func fingerprint(_ hdus: [HDU]) -> [[UInt32]] {
            hdus.map { $0.image.map { image in image.floats().pixels.map(\.bitPattern) } ?? [] }
        }
        let a = try frames(NIRSpecFixedSlitRecipe()), b = try frames(NIRSpecFixedSlitRecipe())
        XCTAssertTrue(a.map(\.exposure.hdus).map { $0.map(\.header) } == b.map(\.exposure.hdus).map { $0.map(\.header) })
        XCTAssertTrue(a.map { fingerprint($0.exposure.hdus) } == b.map { fingerprint($0.exposure.hdus) })
        XCTAssertTrue(a.map { fingerprint($0.truth!) } == b.map { fingerprint($0.truth!) })
        let c = try frames(NIRSpecFixedSlitRecipe(), seed: 8)
        XCTAssertFalse(fingerprint(a[0].exposure.hdus) == fingerprint(c[0].exposure.hdus))
    }

    func testNoiseMatchesERROnCleanPixels() throws {
        for recipe in [NIRSpecFixedSlitRecipe(), MIRILRSRecipe()] as [any SimulationRecipe] {
            var sum = 0.0, sumSquares = 0.0, count = 0.0
            for file in try frames(recipe) {
                let sci = try file.exposure.floatImage("SCI").pixels, err = try file.exposure.floatImage("ERR").pixels
                let truth = file.truthImage("NOISELESS")!.pixels
                let defects = file.truth!.hdu(named: "DEFECTS")!.image!.signed32().pixels
                for i in sci.indices where defects[i] == 0 {
                    let r = Double(sci[i] - truth[i]) / Double(err[i])
                    sum += r; sumSquares += r * r; count += 1
                }
            }
            let mean = sum / count, spread = (sumSquares / count - mean * mean).squareRoot()
            // ~3e4 pixels: the spread of a unit normal is known to ±0.4 %; 3 % tolerates none of a wrong ERR.
            XCTAssertEqual(spread, 1, accuracy: 0.03, recipe.name)
            XCTAssertEqual(mean, 0, accuracy: 0.03, recipe.name)
        }
    }

    func testColumnSumsOfTheSourceEqualTheTrueSpectrum() throws {
        // No background and untilted iso-wavelength lines: every column is one wavelength, and the pixel-integrated
        // PSF sums to 1, so the column sum is the source flux (the wings outside the cut-out are < 1e-6).
        let sets = ["background=0", "wavelength_tilt=0"]
        for (recipe, perJy) in [(NIRSpecFixedSlitRecipe(), 1e-6), (MIRILRSRecipe(), 1e-6 / 2.84e-13)] as [(any SimulationRecipe, Double)] {
            let file = try frames(recipe, seed: 9, sets)[0]
            let truth = file.truthImage("NOISELESS")!, lambda = try file.exposure.floatImage("WAVELENGTH")
            let table = file.truth!.hdu(named: "SPECTRUM")!.table!
            let l = table["WAVELENGTH"]!.data.doubles!, f = table["FLUX"]!.data.doubles!
            let alongY = file.exposure.hdu("SCI")!.header.integer("DISPAXIS") == 2
            let length = alongY ? truth.height : truth.width, cross = alongY ? truth.width : truth.height
            var worst = 0.0
            for k in stride(from: 0, to: length, by: 7) {
                var sum = 0.0
                for j in 0..<cross { sum += Double(alongY ? truth[j, k] : truth[k, j]) }
                let wavelength = Double(alongY ? lambda[0, k] : lambda[k, 0])
                // The truth table samples every 1/8 pixel, so integer pixels are exact entries.
                let entry = l.indices.min { abs(l[$0] - wavelength) < abs(l[$1] - wavelength) }!
                worst = max(worst, abs(sum / perJy / f[entry] - 1))
            }
            XCTAssertLessThan(worst, 1e-4, recipe.name)
        }
    }

    func testPSFWidthGrowsWithWavelengthAsTheLawSays() throws {
        let file = try frames(NIRSpecFixedSlitRecipe(), seed: 10, ["background=0", "wavelength_tilt=0", "dithers=1"])[0]
        let truth = file.truthImage("NOISELESS")!, lambda = try file.exposure.floatImage("WAVELENGTH")
        let a = file.truth![0].header.real("PSF_A")!, b = file.truth![0].header.real("PSF_B")!
        var previous = 0.0
        for k in [20, 140, 260, 400] {
            var s0 = 0.0, s1 = 0.0, s2 = 0.0
            for j in 0..<truth.height {
                let v = Double(truth[k, j])
                s0 += v; s1 += v * Double(j); s2 += v * Double(j * j)
            }
            let variance = s2 / s0 - pow(s1 / s0, 2)
            let l = Double(lambda[k, 0])
            // Pixel integration adds 1/12 px² to the variance of the sampled profile (a floor even for b = 0).
            XCTAssertEqual(variance, a * l * l + b + 1.0 / 12, accuracy: 0.02 * variance, "column \(k)")
            XCTAssertGreaterThan(variance, previous)
            previous = variance
        }
    }

    func testDefectsAreDrawnAtTheRequestedRates() throws {
        var pixels = 0.0, bad = 0.0, jumps = 0.0, hidden = 0.0
        for file in try frames(NIRSpecFixedSlitRecipe(), seed: 11, ["dithers=6"]) {
            let dq = try file.exposure.unsignedImage("DQ").pixels
            let defects = file.truth!.hdu(named: "DEFECTS")!.image!.signed32().pixels
            pixels += Double(dq.count)
            bad += Double(dq.filter { $0 & DataQuality.doNotUse.rawValue != 0 }.count)
            jumps += Double(dq.filter { $0 & DataQuality.jumpDetected.rawValue != 0 }.count)
            hidden += Double(defects.filter { $0 & 1 != 0 }.count)
        }
        // 80 640 pixels: binomial 1σ is 0.04 % for 1.5 % and 0.02 % for 0.3 %; allow about 4σ.
        XCTAssertEqual(bad / pixels, 0.015, accuracy: 0.0018)
        XCTAssertEqual(hidden / pixels, 0.003, accuracy: 0.0008)
        XCTAssertEqual(jumps / pixels, 0.002, accuracy: 0.0007)
    }

    func testDithersAreSpacedAlongTheSlitWithSubPixelErrors() throws {
        let file = try frames(NIRSpecFixedSlitRecipe(), seed: 12, ["nod_spacing=8", "pointing_error=0.1"])[0]
        let h = file.truth![0].header
        let centres = (1...3).map { h.real("TRCY\($0)")! }
        for (c0, c1) in zip(centres, centres.dropFirst()) { XCTAssertEqual(c1 - c0, 8, accuracy: 0.6) }
        XCTAssertNotEqual(centres[1] - centres[0], 8, "pointing errors must move the nods off the nominal grid")
    }

    func testLayoutKeywordsAndRouting() throws {
        let nirspec = try frames(NIRSpecFixedSlitRecipe(), seed: 13, ["grating=G235M", "slit=S400A1"])
        XCTAssertEqual(nirspec.map(\.fileName), (1...3).map { "jw04242007001_03102_0000\($0)_nrs1_cal.fits" })
        let kind = nirspec[0].exposure.kind
        XCTAssertEqual([kind.grating, kind.filter, kind.fixedSlit, kind.exposureType], ["G235M", "F170LP", "S400A1", "NRS_FIXEDSLIT"])
        XCTAssertEqual([kind.instrument, kind.suffix], ["NIRSPEC", "cal"], "routed as a slit extraction's input")
        for name in ["SCI", "DQ", "ERR", "WAVELENGTH", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"] {
            XCTAssertNotNil(nirspec[0].exposure.hdu(name), name)
        }
        XCTAssertEqual(nirspec[2].exposure.primaryHeader.integer("PATT_NUM"), 3)
        XCTAssertEqual(nirspec[2].exposure.primaryHeader.integer("NUMDTHPT"), 3)

        let miri = try frames(MIRILRSRecipe(), seed: 14)
        XCTAssertEqual(miri.count, 2)
        let sci = miri[0].exposure.hdu("SCI")!
        XCTAssertEqual(sci.image?.axes, [44, 380])
        XCTAssertEqual(sci.header.integer("DISPAXIS"), 2)
        XCTAssertEqual(sci.header.string("BUNIT"), "MJy/sr")
        let lrs = miri[0].exposure.kind
        XCTAssertEqual(
            [lrs.instrument, lrs.exposureType, lrs.suffix], ["MIRI", "MIR_LRS-FIXEDSLIT", "cal"], "routed as a slit extraction's input")
        let lambda = try miri[0].exposure.floatImage("WAVELENGTH")
        XCTAssertGreaterThan(lambda[20, 0], lambda[20, 379], "LRS wavelength falls with detector y")
    }

    func testAllSlitsFilesHoldTheFiveSlitsWithTheirKeywords() throws {
        let files = try frames(NIRSpecFixedSlitRecipe(), seed: 16, ["subarray=ALLSLITS"])
        let primary = files[0].exposure.primaryHeader
        XCTAssertEqual(primary.string("SUBARRAY"), "ALLSLITS")
        XCTAssertNil(primary.string("S_BKDSUB"))
        let sciences = files[0].exposure.hdus.filter { $0.name == "SCI" }
        XCTAssertEqual(sciences.map { $0.header.string("SLTNAME") }, ["S200A1", "S200A2", "S400A1", "S1600A1", "S200B1"])
        XCTAssertEqual(sciences.map(\.version), [1, 2, 3, 4, 5])
        XCTAssertEqual(sciences.map { $0.header.integer("SOURCEID") }, [1, 21, 31, 41, 51])
        XCTAssertEqual(sciences.map { $0.header.string("BUNIT") }, ["MJy"] + Array(repeating: "MJy/sr", count: 4))
        XCTAssertEqual(sciences.map { $0.header.string("SRCTYPE") }, ["POINT"] + Array(repeating: "EXTENDED", count: 4))
        for sci in sciences {
            for name in ["DQ", "ERR", "WAVELENGTH", "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT"] {
                XCTAssertEqual(files[0].exposure.hdu(name, version: sci.version)?.image?.axes, sci.image?.axes, "\(name) \(sci.version)")
            }
        }
        let sources = (1...5).map { files[0].truth!.hdu(named: "SPECTRUM", version: $0)!.header.logical("HASSRC") }
        XCTAssertEqual(sources, [true, true, true, false, false])
        let own = try frames(NIRSpecFixedSlitRecipe(), seed: 16, ["slit=S400A1"])[0].exposure
        XCTAssertEqual(own.primaryHeader.string("SUBARRAY"), "SUBS400A1")
        XCTAssertEqual(own.hdus.filter { $0.name == "SCI" }.count, 1)
    }

    /// Each nod-subtracted nod is that nod minus the mean of the others, pixel for pixel, as jwst's background
    /// step leaves it: the source's flux cancels over a column, and the other nods' traces are negative.
    func testNodSubtractionIsEachNodMinusTheMeanOfTheOthers() throws {
        let sets = ["subarray=ALLSLITS", "wavelength_tilt=0"]
        let plain = try frames(NIRSpecFixedSlitRecipe(), seed: 17, sets)
        let subtracted = try frames(NIRSpecFixedSlitRecipe(), seed: 17, sets + ["nod_subtracted=true"])
        XCTAssertEqual(subtracted[0].exposure.primaryHeader.string("S_BKDSUB"), "COMPLETE")
        for version in [1, 3] {
            let raw = try plain.map { try XCTUnwrap($0.exposure.hdu("SCI", version: version)?.image?.floats().pixels) }
            let nod = try XCTUnwrap(subtracted[0].exposure.hdu("SCI", version: version)?.image?.floats().pixels)
            var worst: Float = 0, scale: Float = 0
            for i in nod.indices where nod[i].isFinite {
                let expected = raw[0][i] - (raw[1][i] + raw[2][i]) / 2
                worst = max(worst, abs(nod[i] - expected))
                scale = max(scale, abs(expected))
            }
            // Float arithmetic: agreement to a few units of rounding of the largest value.
            XCTAssertLessThan(worst, 1e-5 * scale, "slit \(version)")
        }
        let truth = subtracted[0].truthImage("NOISELESS")!
        let h = subtracted[0].truth!.hdu(named: "SPECTRUM", version: 1)!.header
        let reference = Int(h.real("TRCREF")!)
        var columnSum = 0.0, peak = 0.0
        for j in 0..<truth.height {
            columnSum += Double(truth[reference, j])
            peak = max(peak, Double(truth[reference, j]))
        }
        // All three traces lie on the slit, so the source cancels to the PSF wings outside the cut-out (< 1e-4).
        XCTAssertLessThan(abs(columnSum), 1e-4 * peak)
        for other in [2, 3] {
            XCTAssertLessThan(truth[reference, Int(h.real("TRCY\(other)")!.rounded())], 0, "nod \(other)'s trace is negative in nod 1")
        }
    }

    func testWrittenFilesVerify() throws {
        let folder = try TemporaryDirectory("slit-sim")
        let paths = try SimulationWriter.write(try frames(MIRILRSRecipe(), seed: 15), to: folder.path)
        let truths = paths.map { $0.replacingOccurrences(of: "_cal.fits", with: "_cal_truth.fits") }
        let output = try XCTUnwrap(ExternalTool.run("fitsverify", ["-q"] + paths + truths), "fitsverify is not installed").output
        XCTAssertEqual(output.components(separatedBy: "verification OK").count - 1, 4, output)
    }

    /// A MOS nod carries the MSA keywords, a BARSHADOW per slitlet, and each slitlet's shutters as jwst writes them
    /// from the MSA metadata: 'x' marks the shutter the source was planned in, which moves with the nod; a background
    /// slitlet marks its middle shutter in every nod. (StdatamodelsLayoutTests opens the files in stdatamodels.)
    func testMOSNodsCarryTheMSAKeywordsAndTheSourceShutter() throws {
        let files = try NIRSpecMOSRecipe().generate(seed: 6, assignments: [])
        let primary = files[0].exposure.primaryHeader
        XCTAssertEqual(primary.string("NOD_TYPE"), "3-SHUTTER-SLITLET")
        XCTAssertEqual(primary.integer("MSAMETID"), 1)
        XCTAssertEqual(primary.string("S_BKDSUB"), "COMPLETE")
        XCTAssertEqual(files[0].exposure.hdus.filter { $0.name == "BARSHADOW" }.map(\.version), [1, 2, 3, 4])
        func science(_ nod: Int, _ slitlet: Int) throws -> Header {
            try XCTUnwrap(files[nod].exposure.hdu("SCI", version: slitlet)?.header)
        }
        XCTAssertEqual(try (0..<3).map { try science($0, 1).string("SHUTSTA") }, ["x11", "1x1", "11x"])
        XCTAssertEqual(try (0..<3).map { try science($0, 4).string("SHUTSTA") }, ["1x1", "1x1", "1x1"], "background slitlet")
        XCTAssertEqual(try science(0, 4).integer("SOURCEID"), 32)
        XCTAssertEqual(try science(0, 4).string("SRCNAME"), "4242_BKG32")
        // One shutter apart: the shutter id steps by one MSA column (365), the position in the shutter stays.
        let ids = try (0..<3).map { try XCTUnwrap(science($0, 1).integer("SHUTTRID")) }
        XCTAssertEqual([ids[1] - ids[0], ids[2] - ids[1]], [365, 365])
        let positions = try (0..<3).map { try XCTUnwrap(science($0, 1).real("SRCYPOS")) }
        XCTAssertEqual(positions[0], positions[2], accuracy: 1e-9)
        XCTAssertLessThanOrEqual(positions.map(abs).max()!, 0.5)
    }
}
