import Numerics
import XCTest

final class BandedSymmetricSystemTests: XCTestCase {
    /// A random SPD banded matrix checked against a dense Cholesky solve and inverse (LAPACK).
    func testSolveAndSelectedInverseMatchDenseAlgebra() throws {
        let n = 40, k = 3
        var system = BandedSymmetricSystem(size: n, bandwidth: k)
        var dense = [Double](repeating: 0, count: n * n)
        var state: UInt64 = 12345
        func random() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Double(state >> 11) * 0x1.0p-53 - 0.5
        }
        for i in 0..<n {
            for j in max(0, i - k)...i {
                let v = i == j ? 4 + random() : random()
                system.add(i, j, v)
                dense[i * n + j] = v
                dense[j * n + i] = v
            }
        }
        let b = (0..<n).map { _ in random() }
        let factor = try system.factorised()
        let x = factor.solve(b)
        for i in 0..<n {
            let ax = (0..<n).reduce(0.0) { $0 + dense[i * n + $1] * x[$1] }
            XCTAssertEqual(ax, b[i], accuracy: 1e-12)
        }
        // Dense inverse: solve A X = I.
        var a = dense, identity = [Double](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        try a.withUnsafeMutableBufferPointer { ap in
            try identity.withUnsafeMutableBufferPointer { ip in try LinearAlgebra.solveSPD(ap.baseAddress!, ip.baseAddress!, n: n, nrhs: n)
            }
        }
        let selected = factor.selectedInverse()
        for i in 0..<n {
            for j in max(0, i - k)...i {
                XCTAssertEqual(selected[system.index(i, j)], identity[i * n + j], accuracy: 1e-12, "(\(i), \(j))")
            }
        }
    }

    func testIndefiniteMatrixIsRefused() {
        var system = BandedSymmetricSystem(size: 3, bandwidth: 1)
        system.add(0, 0, 1); system.add(1, 1, 1); system.add(2, 2, 1); system.add(1, 0, 2)
        XCTAssertThrowsError(try system.factorised())
    }
}
