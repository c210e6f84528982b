import AdaptiveTraceModel
import FITS
import Foundation
import Logging
import Pipeline
import Simulator
import XCTest

/// Runs shared by several tests (a full-frame NIRSpec run costs seconds; each is made once per test process).
enum SharedRuns {
    /// Also writes the intermediate products (`ATMIntermediateTests`); the first product is the same either way.
    static let pointN2 = Task { try await ATMRun(NIRSpecIFUCalRecipe(), parameters: ["oversample=2", "save_intermediate=true"]) }
    static let pointN1 = Task { try await ATMRun(NIRSpecIFUCalRecipe(), parameters: ["oversample=1", "save_intermediate=true"]) }
    static let pointN3 = Task { try await ATMRun(NIRSpecIFUCalRecipe(), parameters: ["oversample=3"]) }
}

/// Runs the step in memory on a simulated exposure and offers the comparisons the tests need.
struct ATMRun: Sendable {
    var file: SimulatedFile
    /// The `_atm` product, then any intermediate products.
    var products: [Product]
    var n: Int

    var product: Product { products[0] }

    init(_ recipe: any SimulationRecipe, seed: UInt64 = 11, settings: [String] = [], parameters: [String] = []) async throws {
        file = try recipe.generate(seed: seed, assignments: settings)[0]
        let step = AdaptiveTraceModelStep()
        let values = try step.manifest.values(parameters)
        n = AdaptiveTraceModelOptions(values).oversample
        products = try await step.run([file.exposure], parameters: values, context: StepContext(logger: Logger(label: "atm-test")))
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
        var ys = [Double](), vs = [Double]()
        for x in 0..<w {
            var y = 0
            while y < h {
                let r = regions[y * w + x]
                guard r > 0 else { y += 1; continue }
                let first = y
                ys.removeAll(keepingCapacity: true); vs.removeAll(keepingCapacity: true)
                while y < h && regions[y * w + x] == r {
                    if sci[x, y].isFinite { ys.append(Double(y)); vs.append(Double(sci[x, y])) }
                    y += 1
                }
                guard ys.count > 3 else { continue }
                var j = 1
                for k in (first * n)..<(y * n) {
                    let q = Double(k) / Double(n) - shift
                    let v: Double
                    if q <= ys[0] {
                        v = vs[0]
                    } else if q >= ys[ys.count - 1] {
                        v = vs[vs.count - 1]
                    } else {
                        while ys[j] < q { j += 1 }
                        let t = (q - ys[j - 1]) / (ys[j] - ys[j - 1])
                        v = vs[j - 1] + t * (vs[j] - vs[j - 1])
                    }
                    out[k * w + x] = Float(v)
                }
            }
        }
        return out
    }
}
