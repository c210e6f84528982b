import Numerics
import XCTest

final class OptimizerTests: XCTestCase {
    /// Rosenbrock's valley: the minimum (1, 1) is known exactly; both families must reach it.
    private func rosenbrock(_ x: UnsafeBufferPointer<Double>, _ g: UnsafeMutableBufferPointer<Double>?) -> Double {
        let a = 1 - x[0], b = x[1] - x[0] * x[0]
        if let g {
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
        }
        return a * a + 100 * b * b
    }

    func testDerivativeFreeAndGradientMethodsFindTheMinimum() {
        for method in [Optimizer.Method.bobyqa, .subplex, .lbfgs, .mma] {
            let r = Optimizer.minimize(
                method, start: [-1.2, 1], lower: [-5, -5], upper: [5, 5],
                tolerances: .init(relativeX: 1e-10, relativeF: 1e-14, maxEvaluations: 20_000), objective: rosenbrock)
            XCTAssertGreaterThan(r.code, 0, "\(method)")
            XCTAssertEqual(r.x[0], 1, accuracy: 1e-3, "\(method)")
            XCTAssertEqual(r.x[1], 1, accuracy: 2e-3, "\(method)")
        }
    }

    func testBoundsAreRespectedAndStartIsClamped() {
        // Unconstrained minimum at 3; the box stops it at 2.
        let r = Optimizer.minimize(.subplex, start: [10], lower: [0], upper: [2]) { x, _ in (x[0] - 3) * (x[0] - 3) }
        XCTAssertEqual(r.x[0], 2, accuracy: 1e-6)
    }
}
