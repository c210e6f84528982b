import Numerics
import XCTest

final class LinearAlgebraTests: XCTestCase {
    func testLeastSquaresFitsALine() throws {
        var a: [Double] = [1, 0, 1, 1, 1, 2, 1, 3]
        var b: [Double] = [1, 3, 5, 7]
        try LinearAlgebra.leastSquares(&a, &b, rows: 4, columns: 2)
        XCTAssertEqual(b[0], 1, accuracy: 1e-12)
        XCTAssertEqual(b[1], 2, accuracy: 1e-12)
    }

    func testSPDAndBandedSolversAgree() throws {
        // Tridiagonal SPD matrix 4 on the diagonal, -1 off it.
        let n = 6
        var dense = [Double](repeating: 0, count: n * n)
        for i in 0..<n where i + 1 < n {
            dense[i * n + i + 1] = -1
            dense[(i + 1) * n + i] = -1
        }
        for i in 0..<n { dense[i * n + i] = 4 }
        var band: [Double] = (0..<n).flatMap { i -> [Double] in [4.0, i + 1 < n ? -1.0 : 0.0] }
        var rhs1 = (0..<n).map { Double($0 + 1) }
        var rhs2 = rhs1
        try LinearAlgebra.solveSPD(&dense, &rhs1, n: n)
        try LinearAlgebra.solveBandedSPD(&band, &rhs2, n: n, bandwidth: 1)
        for i in 0..<n { XCTAssertEqual(rhs1[i], rhs2[i], accuracy: 1e-12) }
        // Check the solution: 4 x_i - x_{i-1} - x_{i+1} = i + 1.
        for i in 0..<n {
            let left = 4 * rhs1[i] - (i > 0 ? rhs1[i - 1] : 0) - (i + 1 < n ? rhs1[i + 1] : 0)
            XCTAssertEqual(left, Double(i + 1), accuracy: 1e-12)
        }
    }

    func testSingularMatrixIsReported() {
        var a: [Double] = [1, 1, 1, 1]
        var b: [Double] = [1, 2]
        XCTAssertThrowsError(try LinearAlgebra.solveSPD(&a, &b, n: 2))
    }
}
