import Numerics

/// Everything the per-frequency blocks of `FourierBlockSolver` read, and the assembly and solve of one block.
///
/// Unknowns of a block: Z_i(ν_s) for the 9 aliases s of a coarse frequency and the k components, stored as
/// index s·k + i; the complex Hermitian system is solved through its real embedding [[Re, −Im], [Im, Re]].
struct BlockContext: Sendable {
    let k: Int
    let filters: Int
    let coarseRows: Int
    let coarseColumns: Int
    let rows: Int
    let columns: Int
    let cameraOTF: [[Double]]
    /// Per filter: C[i · nodes + n].
    let cameraCoefficients: [[Double]]
    let imageSpectra: [[Double]]
    let inverseImageVariance: [Double]
    let ifuOTF: [[Double]]
    /// R (factorRank × nodes·k) with Rᵀ R = G.
    let factor: [Double]
    let factorRank: Int
    /// Per (node, component): the coarse spectrum of the cube's noise-weighted projection.
    let projectionSpectra: [[Double]]
    let gradient: [Double]
    let mu: [Double]
    let gamma: Double

    var unknowns: Int { 9 * k }
    var cells: Int { rows * columns }

    /// The coarse frequency whose aliases are the conjugates of this one's.
    func partner(of group: Int) -> Int {
        let p = group / coarseColumns, q = group % coarseColumns
        return ((coarseRows - p) % coarseRows) * coarseColumns + (coarseColumns - q) % coarseColumns
    }

    /// Fine frequency (cell index) of alias s of coarse frequency `group`.
    func cell(_ group: Int, _ s: Int) -> Int {
        let p = group / coarseColumns, q = group % coarseColumns
        return (p + (s / 3) * coarseRows) * columns + q + (s % 3) * coarseColumns
    }

    /// Assembles and solves the block of `group`, writing Z into `target` (k spectra of 2·cells doubles).
    func solve(group: Int, scratch: inout BlockScratch, into target: SharedOutput) -> Bool {
        let n = unknowns, n2 = 2 * n, rG = factorRank
        let cameraNodes = cameraOTF.count, ifuNodes = ifuOTF.count, nk = ifuNodes * k
        scratch.embedding.withUnsafeMutableBufferPointer { m in
            for i in 0..<m.count { m[i] = 0 }
            for s in 0..<9 {
                let c = cell(group, s)
                for node in 0..<ifuNodes {
                    let tr = ifuOTF[node][2 * c], ti = ifuOTF[node][2 * c + 1]
                    for q in 0..<rG {
                        for j in 0..<k {
                            let r = factor[q * nk + node * k + j]
                            let column = s * k + j
                            m[q * n2 + column] += r * tr
                            m[q * n2 + n + column] -= r * ti
                            m[(rG + q) * n2 + column] += r * ti
                            m[(rG + q) * n2 + n + column] += r * tr
                        }
                    }
                }
            }
        }
        scratch.embedding.withUnsafeBufferPointer { m in
            scratch.matrix.withUnsafeMutableBufferPointer { q in
                DenseProducts.gram(m.baseAddress!, rows: 2 * rG, columns: n2, into: q.baseAddress!, alpha: gamma / 9)
            }
        }
        let p = group / coarseColumns, qc = group % coarseColumns
        let coarseCell = p * coarseColumns + qc
        for s in 0..<9 {
            let c = cell(group, s)
            // A_{f,i}(ν) = Σ_n T_n(ν) C_f[i, n].
            for f in 0..<filters {
                for i in 0..<k {
                    var ar = 0.0, ai = 0.0
                    for node in 0..<cameraNodes {
                        let w = cameraCoefficients[f][i * cameraNodes + node]
                        ar += w * cameraOTF[node][2 * c]; ai += w * cameraOTF[node][2 * c + 1]
                    }
                    scratch.response[2 * (f * k + i)] = ar
                    scratch.response[2 * (f * k + i) + 1] = ai
                }
            }
            for i in 0..<k {
                let ci = s * k + i
                var br = 0.0, bi = 0.0
                for f in 0..<filters {
                    let ar = scratch.response[2 * (f * k + i)], ai = scratch.response[2 * (f * k + i) + 1]
                    let yr = imageSpectra[f][2 * c], yi = imageSpectra[f][2 * c + 1]
                    br += inverseImageVariance[f] * (ar * yr + ai * yi)
                    bi += inverseImageVariance[f] * (ar * yi - ai * yr)
                    for j in 0..<k {
                        let cj = s * k + j
                        let aj = scratch.response[2 * (f * k + j)], bj = scratch.response[2 * (f * k + j) + 1]
                        let hr = inverseImageVariance[f] * (ar * aj + ai * bj)
                        let hi = inverseImageVariance[f] * (ar * bj - ai * aj)
                        if cj >= ci {
                            scratch.matrix[ci * n2 + cj] += hr
                            scratch.matrix[(n + ci) * n2 + n + cj] += hr
                        }
                        scratch.matrix[ci * n2 + n + cj] -= hi
                    }
                }
                for node in 0..<ifuNodes {
                    let tr = ifuOTF[node][2 * c], ti = ifuOTF[node][2 * c + 1]
                    let pr = projectionSpectra[node * k + i][2 * coarseCell], pi = projectionSpectra[node * k + i][2 * coarseCell + 1]
                    br += gamma * (tr * pr + ti * pi)
                    bi += gamma * (tr * pi - ti * pr)
                }
                let penalty = mu[i] * gradient[c]
                scratch.matrix[ci * n2 + ci] += penalty
                scratch.matrix[(n + ci) * n2 + n + ci] += penalty
                scratch.rhs[ci] = br
                scratch.rhs[n + ci] = bi
            }
        }
        var largest = 0.0
        for d in 0..<n2 { largest = max(largest, scratch.matrix[d * n2 + d]) }
        for d in 0..<n2 { scratch.matrix[d * n2 + d] += largest * 1e-12 }
        let solved: Bool = scratch.matrix.withUnsafeMutableBufferPointer { q in
            scratch.rhs.withUnsafeMutableBufferPointer { b in
                (try? LinearAlgebra.solveSPD(q.baseAddress!, b.baseAddress!, n: n2)) != nil
            }
        }
        guard solved else { return false }
        for s in 0..<9 {
            let c = cell(group, s)
            for i in 0..<k {
                target.base[i * 2 * cells + 2 * c] = scratch.rhs[s * k + i]
                target.base[i * 2 * cells + 2 * c + 1] = scratch.rhs[n + s * k + i]
            }
        }
        return true
    }

    /// Fills the frequencies of unsolved blocks from their conjugates: Z(−ν) = conj Z(ν) for real maps.
    func completeConjugates(_ target: SharedOutput) {
        for row in 0..<rows {
            for column in 0..<columns {
                let group = (row % coarseRows) * coarseColumns + column % coarseColumns
                guard partner(of: group) < group else { continue }
                let c = row * columns + column
                let mirror = ((rows - row) % rows) * columns + (columns - column) % columns
                for i in 0..<k {
                    target.base[i * 2 * cells + 2 * c] = target.base[i * 2 * cells + 2 * mirror]
                    target.base[i * 2 * cells + 2 * c + 1] = -target.base[i * 2 * cells + 2 * mirror + 1]
                }
            }
        }
    }
}

/// Per-worker buffers, reused from block to block.
struct BlockScratch {
    var embedding: [Double]
    var matrix: [Double]
    var rhs: [Double]
    var response: [Double]

    init(_ context: BlockContext) {
        let n2 = 2 * context.unknowns
        embedding = [Double](repeating: 0, count: 2 * context.factorRank * n2)
        matrix = [Double](repeating: 0, count: n2 * n2)
        rhs = [Double](repeating: 0, count: n2)
        response = [Double](repeating: 0, count: 2 * context.filters * context.k)
    }
}
