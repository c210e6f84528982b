import Foundation
import Numerics
import Platform

/// The noise one frequency block passes from the data to the fused cube.
///
/// Once the subspace, the weights and the calibration are fixed, a block's solution is Z = H⁻¹ b with b linear in
/// the data. The solve weights image f by 1/σ_f² and channel λ by 1/σ_λ² as if both noises were white. The cube's
/// is (σ_λ per spaxel), so its part of b has covariance N γ² H_cube (H's NIRSpec term, weighted by γ² instead of
/// γ); the registered images' noise has the power S_f(ν) of `ResampledNoise`, so their part has covariance
/// N Σ_f S_f/σ_f⁴ A_fᴴA_f (H's NIRCam term when S_f = σ_f²). With D the sum, Cov Z = N H⁻¹ D H⁻¹. A fine pixel whose row and column are (a, b) modulo 3 sees the 9 aliases
/// of a block with phases e^{2πi(sr·a + sc·b)/3}; its component maps then have, summed over blocks,
/// Cov(z_i, z_j) = (1/N) Σ_blocks Re(w_iᴴ D w_j) with w_i = H⁻¹ v_i and v_i the conjugate phases on component i.
/// The solve for the w_i shares H's Cholesky factor with the data's right-hand side.
struct BlockNoise {
    static let phases = 9
    let size: Int
    let components: Int
    /// The data's right-hand side, then one embedded phase vector per (phase, component).
    let columns: Int
    /// Right-hand sides before the solve, solutions after (size × columns, row-major).
    var solutions: [Double]
    /// D in the real embedding, both triangles (size × size).
    private var dataTerms: [Double]
    private var product: [Double]
    /// Per phase, the k×k sum over blocks of Re(w_iᴴ D w_j) (without the 1/N).
    private(set) var covariance: [Double]

    init(size: Int, components: Int) {
        self.size = size
        self.components = components
        columns = 1 + Self.phases * components
        solutions = [Double](repeating: 0, count: size * columns)
        dataTerms = [Double](repeating: 0, count: size * size)
        product = [Double](repeating: 0, count: size * columns)
        covariance = [Double](repeating: 0, count: Self.phases * components * components)
    }

    /// D = camera + γ² cube from the upper triangles of the NIRCam noise term and the NIRSpec data term.
    mutating func recordDataTerms(camera: [Double], cube: [Double], gamma: Double, size n: Int) {
        let g2 = gamma * gamma
        for r in 0..<n {
            for c in r..<n {
                let v = camera[r * n + c] + g2 * cube[r * n + c]
                dataTerms[r * n + c] = v
                dataTerms[c * n + r] = v
            }
        }
    }

    /// Column 0: the data; then for each phase (a, b) and component j the vector with e^{−2πi(sr·a + sc·b)/3}
    /// at every alias s = 3·sr + sc of component j, real parts over imaginary parts.
    mutating func setRightHandSides(data: [Double], unknowns n: Int, components k: Int) {
        for r in 0..<size {
            solutions[r * columns] = data[r]
            for c in 1..<columns { solutions[r * columns + c] = 0 }
        }
        for phase in 0..<Self.phases {
            let a = phase / 3, b = phase % 3
            for s in 0..<9 {
                let angle = -2 * Double.pi * Double((s / 3) * a + (s % 3) * b) / 3
                for j in 0..<k {
                    let column = 1 + phase * k + j
                    solutions[(s * k + j) * columns + column] = cos(angle)
                    solutions[(n + s * k + j) * columns + column] = sin(angle)
                }
            }
        }
    }

    /// Adds this block's Re(w_iᴴ D w_j) per phase, `weight` times (2 when its conjugate block is not solved).
    mutating func accumulate(weight: Double, size n: Int, components k: Int) {
        let columns = self.columns
        dataTerms.withUnsafeBufferPointer { d in
            solutions.withUnsafeBufferPointer { w in
                product.withUnsafeMutableBufferPointer { out in
                    DenseProducts.multiply(d.baseAddress!, w.baseAddress!, into: out.baseAddress!, m: n, n: columns, k: n)
                }
            }
        }
        for phase in 0..<Self.phases {
            for i in 0..<k {
                let ci = 1 + phase * k + i
                for j in 0..<k {
                    let cj = 1 + phase * k + j
                    var sum = 0.0
                    for r in 0..<n { sum += solutions[r * columns + ci] * product[r * columns + cj] }
                    covariance[(phase * k + i) * k + j] += weight * sum
                }
            }
        }
    }
}

/// The blocks' noise sums gathered across workers.
final class NoiseSum: Sendable {
    private let total: Locked<[Double]>

    init(count: Int) { total = Locked([Double](repeating: 0, count: count)) }

    func add(_ values: [Double]) {
        total.withLock { total in for i in 0..<total.count { total[i] += values[i] } }
    }

    var value: [Double] { total.current }
}

/// The fused cube's standard deviation per channel and sub-pixel phase, from the summed block covariances.
enum PropagatedNoise {
    /// σ(λ, phase) with phase = 3·(row mod 3) + (column mod 3): Vλᵀ M_phase Vλ / N for the component maps, plus
    /// the noise of the cube's mean spectrum (σ_λ² over the spaxel count), which is added back to every pixel.
    static func sigma(
        covariance: [Double], cells: Int, basis: [Double], components k: Int, cubeSigma: [Double],
        spaxels: Int
    ) -> [Double] {
        let planes = cubeSigma.count
        var result = [Double](repeating: 0, count: planes * BlockNoise.phases)
        for l in 0..<planes {
            let mean = cubeSigma[l] * cubeSigma[l] / Double(spaxels)
            for phase in 0..<BlockNoise.phases {
                var variance = 0.0
                for i in 0..<k {
                    for j in 0..<k {
                        variance += basis[l * k + i] * basis[l * k + j] * covariance[(phase * k + i) * k + j]
                    }
                }
                result[l * BlockNoise.phases + phase] = (max(variance, 0) / Double(cells) + mean).squareRoot()
            }
        }
        return result
    }
}
