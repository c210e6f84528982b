import AdaptiveTraceModel
import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// The trace model against the simulator's truth (the scene averaged over a native-pixel box centred at each
/// oversampled position).
final class ATMAccuracyTests: XCTestCase {
    /// rms error over compact-source pixels (TRACEMODEL finite), for ATM and for linear interpolation alone.
    private func errors(_ run: ATMRun) throws -> (atm: Double, linear: Double, pixels: Int) {
        let sci = run.image("SCI").pixels, trace = run.image("TRACEMODEL").pixels
        let truth = try XCTUnwrap(run.file.truthImage("SIGNAL_OS\(run.n)")).pixels
        let linear = try run.linearInterpolation()
        var ea = 0.0, el = 0.0, count = 0
        for i in sci.indices where trace[i].isFinite && sci[i].isFinite && truth[i].isFinite && linear[i].isFinite {
            ea += Double(sci[i] - truth[i]) * Double(sci[i] - truth[i])
            el += Double(linear[i] - truth[i]) * Double(linear[i] - truth[i])
            count += 1
        }
        return ((ea / Double(count)).squareRoot(), (el / Double(count)).squareRoot(), count)
    }

    func testUndersampledPointSourceBeatsLinearInterpolation() async throws {
        for (n, shared) in [(2, SharedRuns.pointN2), (3, SharedRuns.pointN3)] {
            let run = try await shared.value
            let e = try errors(run)
            // Target of the issue: at most half of linear interpolation's rms error in compact-source regions.
            XCTAssertGreaterThan(e.pixels, 50_000, "the bright slice must be modelled")
            XCTAssertLessThanOrEqual(e.atm, 0.5 * e.linear, "N=\(n): atm \(e.atm) vs linear \(e.linear)")
        }
    }

    func testTwoCloseSourcesBeatLinearInterpolation() async throws {
        let run = try await ATMRun(NIRSpecIFUCalRecipe(), settings: ["scene=two-sources"], parameters: ["oversample=3"])
        let e = try errors(run)
        XCTAssertLessThanOrEqual(e.atm, 0.5 * e.linear, "atm \(e.atm) vs linear \(e.linear)")
    }

    func testFluxIsConservedInTheBrightSlice() async throws {
        let run = try await SharedRuns.pointN3.value
        let sci = run.image("SCI").pixels, regionsOut = run.regions()
        let input = try run.file.exposure.floatImage("SCI")
        let regionsIn = run.file.exposure.hdu("REGIONS")!.image!.signed32().pixels
        var deviations: [Double] = []
        for x in stride(from: 60, to: 1990, by: 7) {
            var sumIn = 0.0, sumOut = 0.0, clean = true
            for y in 0..<2048 where regionsIn[y * 2048 + x] == 16 {
                if input[x, y].isNaN { clean = false }
                sumIn += Double(input[x, y])
            }
            guard clean else { continue }
            for k in 0..<(2048 * 3) where regionsOut[k * 2048 + x] == 16 && sci[k * 2048 + x].isFinite {
                sumOut += Double(sci[k * 2048 + x])
            }
            deviations.append(abs(sumOut / 3 / sumIn - 1))
        }
        XCTAssertGreaterThan(deviations.count, 200)
        deviations.sort()
        let median = deviations[deviations.count / 2]
        // Target of the issue: 0.5 % per column in bright slices (columns with no NaN input pixel), met by every column
        // (worst 0.23 % here, 0.28 % on the bench/atm input; jwst 3.0.0 there: 1.8 %, in 217 of 1924 columns above
        // 0.5 %). Two things make it hold: spline + residual also on the flanks beside the compact-source window
        // (ColumnOversampler's margin; without it the red end gained up to 1.9 %), and the weak smoothing of the
        // spline (TraceModelSettings.smoothing; without it columns whose window samples few sub-pixel phases
        // drifted by up to 1.2 %). The median (0.03 %) is bounded at a fifth of the target.
        XCTAssertLessThanOrEqual(median, 0.001, "median \(median)")
        XCTAssertLessThanOrEqual(deviations.last!, 0.005, "worst column \(deviations.last!)")
    }

    func testEmissionLinesFillingTheFieldAreKept() async throws {
        let run = try await ATMRun(
            NIRSpecIFUCalRecipe(), settings: ["scene=point-on-extended", "cosmic_rays=0", "bad_clusters=0"],
            parameters: ["oversample=2"])
        let sci = run.image("SCI").pixels, regions = run.regions()
        let truth = try XCTUnwrap(run.file.truthImage("SIGNAL_OS2")).pixels
        let wave = run.image("WAVELENGTH").pixels
        let span = NIRSpecIFUCalRecipe.wavelengths
        let lineCentre = span.lowerBound + 0.55 * (span.upperBound - span.lowerBound)
        // The column of the line centre in slice 16 (the modelled, bright one) and in slice 3 (faint, linear only).
        for region: Int32 in [16, 3] {
            let k = (0..<4096).first { regions[$0 * 2048 + 1024] == region }! + 30
            let x = (0..<2048).min { abs(Double(wave[k * 2048 + $0]) - lineCentre) < abs(Double(wave[k * 2048 + $1]) - lineCentre) }!
            var out = 0.0, expected = 0.0, continuum = 0.0
            for kk in 0..<4096 where regions[kk * 2048 + x] == region && sci[kk * 2048 + x].isFinite && truth[kk * 2048 + x].isFinite {
                out += Double(sci[kk * 2048 + x]); expected += Double(truth[kk * 2048 + x])
                continuum += Double(truth[kk * 2048 + x - 12])
            }
            let line = expected - continuum
            XCTAssertGreaterThan(line, 0.3 * expected, "the simulated line must dominate at its centre")
            // The line must survive in full: 3 % of the line flux covers the noise of ~60 summed pixels.
            XCTAssertEqual((out - continuum) / line, 1, accuracy: 0.03, "region \(region)")
        }
    }

    func testBadClusterOnTheTraceIsFilledAndFlagged() async throws {
        let run = try await SharedRuns.pointN3.value
        let input = try run.file.exposure.floatImage("SCI")
        let sci = run.image("SCI").pixels, dq = run.dq()
        let truth = try XCTUnwrap(run.file.truthImage("SIGNAL_OS3")).pixels
        // The simulator puts the 3x3 cluster on the source core at columns 1040-1042 of slice 16.
        let regionsIn = run.file.exposure.hdu("REGIONS")!.image!.signed32().pixels
        let bad = (0..<2048).flatMap { y in (1040...1042).map { y * 2048 + $0 } }.filter { input.pixels[$0].isNaN && regionsIn[$0] == 16 }
        XCTAssertEqual(bad.count, 9, "one 3x3 cluster")
        let peak = Double(truth.filter(\.isFinite).max()!)
        for i in bad {
            let x = i % 2048, y = i / 2048
            for k in (3 * y)..<(3 * y + 3) {
                let o = k * 2048 + x
                XCTAssertTrue(sci[o].isFinite, "filled at (\(x), \(k))")
                XCTAssertEqual(dq[o] & DataQuality.fluxEstimated.rawValue, DataQuality.fluxEstimated.rawValue)
                XCTAssertEqual(dq[o] & DataQuality.doNotUse.rawValue, 0)
                // The model is a fit to the neighbouring 100 columns: within 5 % of the peak of the true scene.
                XCTAssertEqual(Double(sci[o]), Double(truth[o]), accuracy: 0.05 * peak)
            }
        }
    }

    func testWithoutOversamplingOnlyTheTraceIsAdded() async throws {
        let run = try await SharedRuns.pointN1.value
        let input = try run.file.exposure.floatImage("SCI")
        let sci = run.image("SCI"), trace = run.image("TRACEMODEL")
        let regions = run.file.exposure.hdu("REGIONS")!.image!.signed32().pixels
        XCTAssertEqual(sci.axes, input.axes)
        XCTAssertEqual(trace.axes, input.axes)
        XCTAssertTrue(zip(sci.pixels, input.pixels).allSatisfy { $0.bitPattern == $1.bitPattern }, "SCI unchanged")
        let traced = trace.pixels.indices.filter { trace.pixels[$0].isFinite }
        let modelled = Set((run.product.hdus[0].header.string("ATM_MODL") ?? "").split(separator: ",").compactMap { Int32($0) })
        XCTAssertGreaterThan(traced.filter { regions[$0] == 16 }.count, 10_000, "the bright slice's core is modelled")
        XCTAssertTrue(traced.allSatisfy { modelled.contains(regions[$0]) }, "a trace only in modelled slices")
        XCTAssertFalse(modelled.contains(2), "faint slices are not modelled")
        // At native pixels the scaled model must follow the data of the source core: within 10 % of the peak
        // (the model is a fit over 100 columns, the data carry noise).
        let peak = traced.map { Double(input.pixels[$0]) }.max()!
        for i in traced where input.pixels[i].isFinite {
            XCTAssertEqual(Double(trace.pixels[i]), Double(input.pixels[i]), accuracy: 0.1 * peak)
        }
    }

    func testFaintSlicesAreLinearlyInterpolatedOnly() async throws {
        let run = try await SharedRuns.pointN2.value
        let sci = run.image("SCI").pixels, trace = run.image("TRACEMODEL").pixels, regions = run.regions()
        let linear = try run.linearInterpolation()
        let modelled = run.product.hdus[0].header.string("ATM_MODL") ?? ""
        XCTAssertFalse(modelled.split(separator: ",").contains("2"))
        var compared = 0
        for i in sci.indices where (1...5).contains(regions[i]) {
            XCTAssertTrue(trace[i].isNaN)
            if sci[i].isFinite { XCTAssertEqual(sci[i], linear[i], accuracy: 1e-4 * max(1, abs(linear[i]))); compared += 1 }
        }
        XCTAssertGreaterThan(compared, 100_000)
    }
}
