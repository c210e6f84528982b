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
    /// Per filter and fine frequency, the power of the registered image's noise (`ResampledNoise`).
    let imageNoisePower: [[Double]]
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
            scratch.cubeTerm.withUnsafeMutableBufferPointer { q in
                DenseProducts.gram(m.baseAddress!, rows: 2 * rG, columns: n2, into: q.baseAddress!, alpha: 1 / 9)
            }
        }
        for i in 0..<scratch.matrix.count { scratch.matrix[i] = 0; scratch.cameraNoise[i] = 0 }
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
                    let noiseWeight = inverseImageVariance[f] * inverseImageVariance[f] * imageNoisePower[f][c]
                    let ar = scratch.response[2 * (f * k + i)], ai = scratch.response[2 * (f * k + i) + 1]
                    let yr = imageSpectra[f][2 * c], yi = imageSpectra[f][2 * c + 1]
                    br += inverseImageVariance[f] * (ar * yr + ai * yi)
                    bi += inverseImageVariance[f] * (ar * yi - ai * yr)
                    for j in 0..<k {
                        let cj = s * k + j
                        let aj = scratch.response[2 * (f * k + j)], bj = scratch.response[2 * (f * k + j) + 1]
                        let gr = ar * aj + ai * bj, gi = ar * bj - ai * aj
                        let hr = inverseImageVariance[f] * gr
                        let hi = inverseImageVariance[f] * gi
                        if cj >= ci {
                            scratch.matrix[ci * n2 + cj] += hr
                            scratch.matrix[(n + ci) * n2 + n + cj] += hr
                            scratch.cameraNoise[ci * n2 + cj] += noiseWeight * gr
                            scratch.cameraNoise[(n + ci) * n2 + n + cj] += noiseWeight * gr
                        }
                        scratch.matrix[ci * n2 + n + cj] -= hi
                        scratch.cameraNoise[ci * n2 + n + cj] -= noiseWeight * gi
                    }
                }
                for node in 0..<ifuNodes {
                    let tr = ifuOTF[node][2 * c], ti = ifuOTF[node][2 * c + 1]
                    let pr = projectionSpectra[node * k + i][2 * coarseCell], pi = projectionSpectra[node * k + i][2 * coarseCell + 1]
                    br += gamma * (tr * pr + ti * pi)
                    bi += gamma * (tr * pi - ti * pr)
                }
                scratch.penalty[ci] = mu[i] * gradient[c]
                scratch.rhs[ci] = br
                scratch.rhs[n + ci] = bi
            }
        }
        scratch.noise.recordDataTerms(camera: scratch.cameraNoise, cube: scratch.cubeTerm, gamma: gamma, size: n2)
        for r in 0..<n2 {
            for c in r..<n2 { scratch.matrix[r * n2 + c] += gamma * scratch.cubeTerm[r * n2 + c] }
            scratch.matrix[r * n2 + r] += scratch.penalty[r % n]
        }
        var largest = 0.0
        for d in 0..<n2 { largest = max(largest, scratch.matrix[d * n2 + d]) }
        for d in 0..<n2 { scratch.matrix[d * n2 + d] += largest * 1e-12 }
        scratch.noise.setRightHandSides(data: scratch.rhs, unknowns: n, components: k)
        let solved: Bool = scratch.matrix.withUnsafeMutableBufferPointer { q in
            scratch.noise.solutions.withUnsafeMutableBufferPointer { b in
                (try? LinearAlgebra.solveSPD(q.baseAddress!, b.baseAddress!, n: n2, nrhs: scratch.noise.columns)) != nil
            }
        }
        guard solved else { return false }
        let columns = scratch.noise.columns
        for s in 0..<9 {
            let c = cell(group, s)
            for i in 0..<k {
                target.base[i * 2 * cells + 2 * c] = scratch.noise.solutions[(s * k + i) * columns]
                target.base[i * 2 * cells + 2 * c + 1] = scratch.noise.solutions[(n + s * k + i) * columns]
            }
        }
        let p0 = partner(of: group)
        scratch.noise.accumulate(weight: p0 == group ? 1 : 2, size: n2, components: k)
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
    /// The NIRSpec data term without γ (upper triangle).
    var cubeTerm: [Double]
    var matrix: [Double]
    /// The NIRCam part of the data's noise covariance (upper triangle).
    var cameraNoise: [Double]
    var penalty: [Double]
    var rhs: [Double]
    var response: [Double]
    var noise: BlockNoise

    init(_ context: BlockContext) {
        let n2 = 2 * context.unknowns
        embedding = [Double](repeating: 0, count: 2 * context.factorRank * n2)
        cubeTerm = [Double](repeating: 0, count: n2 * n2)
        matrix = [Double](repeating: 0, count: n2 * n2)
        cameraNoise = [Double](repeating: 0, count: n2 * n2)
        penalty = [Double](repeating: 0, count: context.unknowns)
        rhs = [Double](repeating: 0, count: n2)
        response = [Double](repeating: 0, count: 2 * context.filters * context.k)
        noise = BlockNoise(size: n2, components: context.k)
    }
}
