import FITS
import Foundation
import Numerics
import Pipeline
import Simulator
import XCTest

/// Statistics of the `nirspec-rate` simulation: what was put in is what the files say.
final class NIRSpecRateTests: XCTestCase {
    private func generate(_ assignments: [String], seed: UInt64 = 9) throws -> SimulatedFile {
        try NIRSpecRateRecipe().generate(seed: seed, assignments: assignments)[0]
    }

    func testFullFrameLayoutHeadersAndReferencePixels() throws {
        let started = Date()
        let file = try generate(["detector=NRS2"])
        print("nirspec-rate full frame generated in \(Date().timeIntervalSince(started)) s")
        let exposure = file.exposure
        XCTAssertEqual(file.fileName, "jw04242007001_03101_00001_nrs2_rate.fits")
        XCTAssertEqual(exposure.hdus.dropFirst().compactMap(\.name), ["SCI", "ERR", "DQ", "VAR_POISSON", "VAR_RNOISE"])
        XCTAssertEqual(exposure.kind.exposureType, "NRS_IFU")
        XCTAssertEqual(exposure.kind.suffix, "rate")
        let primary = exposure.primaryHeader
        XCTAssertEqual(primary.integer("FASTAXIS"), -2)
        XCTAssertEqual(primary.integer("SLOWAXIS"), -1)
        XCTAssertEqual(primary.string("SUBARRAY"), "FULL")
        XCTAssertEqual(exposure.hdu("SCI")?.header.string("BUNIT"), "DN/s")
        let dq = try exposure.unsignedImage("DQ")
        let oneOverF = file.truthImage("ONE_OVER_F")!
        for (x, y) in [(0, 0), (3, 1000), (2047, 5), (1000, 2045)] {
            XCTAssertNotEqual(dq[x, y] & DataQuality.referencePixel.rawValue, 0)
            XCTAssertEqual(oneOverF[x, y], 0, "reference pixels do not see the banding")
        }
        XCTAssertEqual(dq[1000, 1000] & DataQuality.referencePixel.rawValue, 0)
    }

    /// The 30 IFU slices cross column 1024 where the real NSClean masks put them (~50 px pitch, ~30 px tall).
    func testIFUSlicesFollowTheRealFootprints() throws {
        let signal = try generate(["detector=NRS1"]).truthImage("SIGNAL")!
        var runs = 0, inside = false
        for y in 0..<2048 {
            let lit = signal[1024, y] > 0.01
            if lit && !inside { runs += 1 }
            inside = lit
        }
        XCTAssertEqual(runs, 30)
        let trace = IFUSliceFootprints.traces(detector: "NRS1")[0]
        let centre = Int(trace.centre(atColumn: 1024).rounded())
        XCTAssertGreaterThan(signal[1024, centre], 0.05)
    }

    /// SCI − signal − picture frame is the random noise, whose spread ERR must describe (within 3 %: 4 million
    /// pixels give a statistical error of 0.04 %, the rest is left for the Poisson approximation at low counts).
    func testNoiseMatchesERR() throws {
        let file = try generate(["mode=fixedslit"])
        let science = try file.exposure.floatImage("SCI"), err = try file.exposure.floatImage("ERR")
        let signal = file.truthImage("SIGNAL")!, frame = file.truthImage("PICTURE_FRAME")!
        var sum = 0.0, count = 0.0
        for i in 0..<science.count where science.pixels[i].isFinite {
            let z = Double((science.pixels[i] - signal.pixels[i] - frame.pixels[i]) / err.pixels[i])
            sum += z * z; count += 1
        }
        let ratio = (sum / count).squareRoot()
        XCTAssertEqual(ratio, 1, accuracy: 0.03)
    }

    /// The parts add up to SCI, so the signal in the truth is exactly the flux put in.
    func testTruthComponentsAddUpToScience() throws {
        let file = try generate(["mode=mos", "subarray=ALLSLITS"])
        let science = try file.exposure.floatImage("SCI")
        let parts = ["SIGNAL", "POISSON_NOISE", "READ_NOISE", "ONE_OVER_F", "PICTURE_FRAME"].map { file.truthImage($0)! }
        var worst: Float = 0
        for i in 0..<science.count where science.pixels[i].isFinite {
            worst = max(worst, abs(science.pixels[i] - parts.reduce(0) { $0 + $1.pixels[i] }))
        }
        XCTAssertLessThan(worst, 1e-6, "float rounding of five terms of ~0.01–1 DN/s")
        let totalSignal = parts[0].pixels.reduce(0.0) { $0 + Double($1) }
        XCTAssertGreaterThan(totalSignal, 0)
    }

    /// The average periodogram of the 1/f truth along DMS columns (contiguous in time) falls as f^−slope.
    func testOneOverFSpectrumHasRequestedSlope() throws {
        for slope in [1.0, 1.6] {
            let file = try generate(["slope=\(slope)", "edge_quieting=0", "mode=mos"])
            let noise = file.truthImage("ONE_OVER_F")!
            let n = 2048
            let fft = RealFFT(count: n)
            var power = [Double](repeating: 0, count: n / 2 + 1)
            var line = [Double](repeating: 0, count: n), spectrum = [Double](repeating: 0, count: fft.spectrumLength)
            for x in 4..<2044 {
                // Rows 4…2043 only (reference pixels carry no banding), so the line is 2040 samples, zero-padded.
                for y in 0..<n { line[y] = (4..<2044).contains(y) ? Double(noise[x, y]) : 0 }
                line.withUnsafeMutableBufferPointer { l in spectrum.withUnsafeMutableBufferPointer { fft.forward(l, into: $0) } }
                for k in power.indices { power[k] += spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1] }
            }
            // Least-squares slope of log P against log k over k = 4…256 (away from the lowest bins, which a
            // single line resolves poorly, and from the aliased top octaves).
            var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, m = 0.0
            for k in 4...256 {
                let lx = log(Double(k)), ly = log(power[k])
                sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly; m += 1
            }
            let fitted = -(m * sxy - sx * sy) / (m * sxx - sx * sx)
            print("1/f slope requested \(slope), measured \(fitted)")
            XCTAssertEqual(fitted, slope, accuracy: 0.1)
        }
    }

    func testSubarraysAndRateints() throws {
        let file = try generate(["subarray=SUBS200A1", "mode=fixedslit", "ints=3"])
        XCTAssertEqual(file.fileName, "jw04242007001_03101_00001_nrs1_rateints.fits")
        XCTAssertEqual(try file.exposure.floatImage("SCI").axes, [2048, 64, 3])
        XCTAssertEqual(file.truthImage("SIGNAL")!.axes, [2048, 64, 3])
        XCTAssertEqual(file.exposure.primaryHeader.integer("SUBSIZE2"), 64)
        XCTAssertEqual(file.exposure.primaryHeader.string("DATAMODL"), "CubeModel")
        XCTAssertEqual(file.exposure.kind.suffix, "rateints")
        XCTAssertEqual(file.exposure.hdus.dropFirst().compactMap(\.name), ["SCI", "ERR", "DQ", "INT_TIMES", "VAR_POISSON", "VAR_RNOISE"])
        XCTAssertEqual(file.exposure.hdu("INT_TIMES")?.table?.rowCount, 3)
        // Integrations have independent noise.
        let science = try file.exposure.floatImage("SCI")
        let plane = 2048 * 64
        XCTAssertNotEqual(Array(science.pixels[0..<plane]), Array(science.pixels[plane..<(2 * plane)]))
    }

    func testSameSeedSameBytes() throws {
        // Bit patterns, because the NaN bad pixels never compare equal as floats.
        func bits(_ file: SimulatedFile) throws -> [[UInt32]] {
            try ["SCI", "ERR", "VAR_RNOISE"].map { try file.exposure.floatImage($0).pixels.map(\.bitPattern) }
                + ["SIGNAL", "ONE_OVER_F", "READ_NOISE"].map { file.truthImage($0)!.pixels.map(\.bitPattern) }
        }
        let a = try generate(["subarray=SUB2048"], seed: 4), b = try generate(["subarray=SUB2048"], seed: 4)
        XCTAssertTrue(try bits(a) == bits(b))
        XCTAssertEqual(a.exposure.primaryHeader, b.exposure.primaryHeader)
        XCTAssertFalse(try bits(generate(["subarray=SUB2048"], seed: 5)) == bits(a))
    }

    func testUnknownSettingIsRefused() {
        XCTAssertThrowsError(try generate(["subarray=SUB9999"])) { error in
            XCTAssertTrue("\(error)".contains("subarray must be one of FULL"), "\(error)")
        }
    }
}
