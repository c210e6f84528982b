import Simulator
import SlitExtraction
import XCTest

final class SlitExplorationTests: XCTestCase {
    func testPrintDefaultScene() throws {
        let start = Date()
        let s = try SlitScenario(NIRSpecFixedSlitRecipe(), seed: 1)
        print("time", Date().timeIntervalSince(start))
        let t0 = Date()
        _ = try SlitExtractor.extract(s.inputs.map(\.frame))
        print("extract time", Date().timeIntervalSince(t0))
        print("spectrum", s.spectrumError, "box", s.boxError, "spread", s.normalisedResidualSpread, "psf", s.psfLawError, s.result.psf)
        print("centres", s.result.traceCentres, s.trueTraceCentres, "tilts", s.result.traceTilts, "scales", s.result.frameScales)
        print("mu", s.result.smoothingWeight, "iter", s.result.iterations, "chi2", s.result.reducedChiSquare, "rejected", s.result.rejectedCounts)
    }
}
