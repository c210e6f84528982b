import AdaptiveTraceModel
import FITS
import Foundation
import Pipeline
import Simulator
import XCTest

/// `save_intermediate`: the terms of the combination, each written as its own product, must be the terms SCI was
/// actually made from.
final class ATMIntermediateTests: XCTestCase {
    private func term(_ run: ATMRun, _ suffix: String) throws -> [Float] {
        let product = try XCTUnwrap(run.products.first { $0.fileName.hasSuffix("_\(suffix).fits") }, "no \(suffix) product")
        XCTAssertEqual(product.hdus.count, 2, "\(suffix): primary and SCI only")
        XCTAssertEqual(product.hdus[0].header.string("S_TRCMOD"), "COMPLETE")
        return product.hdus.hdu(named: "SCI")!.image!.floats().pixels
    }

    func testTermsRecombineIntoTheProduct() async throws {
        let run = try await SharedRuns.pointN2.value
        XCTAssertEqual(
            run.products.map { String($0.fileName.split(separator: "_").last!) },
            ["atm.fits", "full.fits", "used.fits", "interp.fits", "residual.fits"])
        let sci = run.image("SCI").pixels, trace = run.image("TRACEMODEL").pixels
        let full = try term(run, "spline_full"), used = try term(run, "spline_used")
        let linear = try term(run, "linear_interp"), residual = try term(run, "spline_residual")
        XCTAssertTrue(zip(used, trace).allSatisfy { $0.bitPattern == $1.bitPattern }, "spline_used is TRACEMODEL")
        var compact = 0, recombined = 0, linearOnly = 0
        for i in sci.indices where trace[i].isFinite {
            compact += 1
            XCTAssertEqual(full[i], trace[i], "the full spline holds the used one")
            guard residual[i].isFinite, sci[i].isFinite else { continue }
            // SCI = spline + residual at compact-source pixels (both in output units; float rounding only).
            XCTAssertEqual(sci[i], used[i] + residual[i], accuracy: 1e-5 * max(1, abs(sci[i])))
            recombined += 1
        }
        let fullOnly = full.indices.filter { full[$0].isFinite && trace[$0].isNaN }.count
        XCTAssertGreaterThan(compact, 20_000, "the bright slice's core is modelled")
        XCTAssertGreaterThan(recombined, compact * 9 / 10)
        XCTAssertGreaterThan(fullOnly, compact, "the full spline also covers the slice outside the compact source")
        // Away from modelled pixels SCI is the linear term, which must be plain linear interpolation of the input
        // (an independent implementation in the test support; it keeps no NaN rules, so compare where both are finite).
        let reference = try run.linearInterpolation()
        for i in sci.indices where full[i].isNaN && linear[i].isFinite && sci[i].isFinite {
            XCTAssertEqual(linear[i], sci[i], accuracy: 1e-6 * max(1, abs(sci[i])))
            XCTAssertEqual(linear[i], reference[i], accuracy: 1e-4 * max(1, abs(reference[i])))
            linearOnly += 1
        }
        XCTAssertGreaterThan(linearOnly, 1_000_000)
    }

    func testWithoutOversamplingOnlyTheSplineTermsAreWritten() async throws {
        let run = try await SharedRuns.pointN1.value
        XCTAssertEqual(run.products.count, 3, "atm, spline_full, spline_used (no interpolation at N = 1)")
        let trace = run.image("TRACEMODEL").pixels
        let full = try term(run, "spline_full"), used = try term(run, "spline_used")
        XCTAssertTrue(zip(used, trace).allSatisfy { $0.bitPattern == $1.bitPattern })
        XCTAssertTrue(trace.indices.allSatisfy { trace[$0].isNaN || full[$0] == trace[$0] })
        XCTAssertGreaterThan(full.filter(\.isFinite).count, trace.filter(\.isFinite).count)
    }
}
