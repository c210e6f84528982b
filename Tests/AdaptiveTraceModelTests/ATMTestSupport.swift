import AdaptiveTraceModel
import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import XCTest

/// Runs the step in memory on a simulated exposure and offers the comparisons the tests need.
struct ATMRun {
    var file: SimulatedFile
    var product: Product
    var n: Int

    init(_ recipe: any SimulationRecipe, seed: UInt64 = 11, settings: [String] = [], parameters: [String] = []) async throws {
        file = try recipe.generate(seed: seed, assignments: settings)[0]
        let step = AdaptiveTraceModelStep()
        let values = try ParameterValues(specs: step.info.parameters, assignments: parameters)
        n = values.integer("oversample")
        product = try await step.run([file.exposure], parameters: values, context: StepContext(logger: Logger(label: "atm-test")))[0]
    }

    func image(_ name: String) -> Image<Float> { product.hdus.hdu(named: name)!.image!.floats() }
    func regions() -> [Int32] { product.hdus.hdu(named: "REGIONS")!.image!.signed32().pixels }
    func dq() -> [UInt32] { product.hdus.hdu(named: "DQ")!.image!.unsigned32().pixels }

    /// Linear interpolation of the input along each column of each region onto the oversampled grid: the
    /// baseline ATM must beat (NIRSpec orientation: dispersion along x).
    func linearInterpolation() throws -> [Float] {
        let sci = try file.exposure.floatImage("SCI")
        let regions = file.exposure.hdu("REGIONS")!.image!.signed32().pixels
        let w = sci.width, h = sci.height
        var out = [Float](repeating: .nan, count: w * h * n)
        let shift = Double(n - 1) / Double(2 * n)
        for x in 0..<w {
            var byRegion: [Int32: [(Double, Double)]] = [:]
            var rows: [Int32: ClosedRange<Int>] = [:]
            for y in 0..<h {
                let r = regions[y * w + x]
                guard r > 0 else { continue }
                rows[r] = rows[r].map { min($0.lowerBound, y)...max($0.upperBound, y) } ?? y...y
                if sci[x, y].isFinite { byRegion[r, default: []].append((Double(y), Double(sci[x, y]))) }
            }
            for (r, range) in rows {
                guard let pts = byRegion[r], pts.count > 3 else { continue }
                for k in (range.lowerBound * n)..<((range.upperBound + 1) * n) {
                    let q = Double(k) / Double(n) - shift
                    let v: Double
                    if q <= pts[0].0 { v = pts[0].1 } else if q >= pts[pts.count - 1].0 { v = pts[pts.count - 1].1 } else {
                        let j = pts.firstIndex { $0.0 > q }!
                        let t = (q - pts[j - 1].0) / (pts[j].0 - pts[j - 1].0)
                        v = pts[j - 1].1 + t * (pts[j].1 - pts[j - 1].1)
                    }
                    out[k * w + x] = Float(v)
                }
            }
        }
        return out
    }
}
