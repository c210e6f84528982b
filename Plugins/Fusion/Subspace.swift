import Numerics

/// The spectral subspace of the fusion: the leading principal components of the mean-subtracted NIRSpec cube
/// (paper eq. 8). The rank is the number of components whose variance stands above the noise: eigenvalues of
/// the sample covariance larger than the Marchenko–Pastur edge σ²(1 + √(L/n))² of pure white noise (times a
/// 10 % margin), the paper's "eigenvalues higher than σh²" made exact for a finite number of spectra.
struct Subspace: Sendable, Equatable {
    /// L × k, row-major, orthonormal columns.
    let basis: [Double]
    let rank: Int
    let explainedVariance: Double

    static func principal(
        centred: [Double], planes: Int, pixels: Int, noiseVariance: Double, fixedRank: Int,
        maxRank: Int
    ) throws -> Subspace {
        let wanted = min(max(fixedRank > 0 ? fixedRank : maxRank, 1), min(planes, pixels))
        var values: [Double]
        var basis: [Double]
        var total = 0.0
        for v in centred { total += v * v }
        total /= Double(pixels)
        if pixels <= planes {
            // Gram matrix of the spectra (n × n), then V = Yc u / (√(n λ)).
            var gram = [Double](repeating: 0, count: pixels * pixels)
            centred.withUnsafeBufferPointer { y in
                gram.withUnsafeMutableBufferPointer { g in
                    DenseProducts.gram(y.baseAddress!, rows: planes, columns: pixels, into: g.baseAddress!, alpha: 1 / Double(pixels))
                }
            }
            let eigen = try SymmetricEigen.largest(&gram, n: pixels, count: wanted)
            values = eigen.values
            basis = [Double](repeating: 0, count: planes * wanted)
            centred.withUnsafeBufferPointer { y in
                eigen.vectors.withUnsafeBufferPointer { u in
                    basis.withUnsafeMutableBufferPointer { v in
                        DenseProducts.multiply(y.baseAddress!, u.baseAddress!, into: v.baseAddress!, m: planes, n: wanted, k: pixels)
                    }
                }
            }
            for j in 0..<wanted {
                var norm = 0.0
                for l in 0..<planes { norm += basis[l * wanted + j] * basis[l * wanted + j] }
                let scale = norm > 0 ? 1 / norm.squareRoot() : 0
                for l in 0..<planes { basis[l * wanted + j] *= scale }
            }
        } else {
            var transposed = [Double](repeating: 0, count: centred.count)
            for l in 0..<planes { for p in 0..<pixels { transposed[p * planes + l] = centred[l * pixels + p] } }
            var covariance = [Double](repeating: 0, count: planes * planes)
            transposed.withUnsafeBufferPointer { y in
                covariance.withUnsafeMutableBufferPointer { c in
                    DenseProducts.gram(y.baseAddress!, rows: pixels, columns: planes, into: c.baseAddress!, alpha: 1 / Double(pixels))
                }
            }
            let eigen = try SymmetricEigen.largest(&covariance, n: planes, count: wanted)
            values = eigen.values
            basis = eigen.vectors
        }
        var rank = wanted
        if fixedRank <= 0 {
            let ratio = 1 + (Double(planes) / Double(pixels)).squareRoot()
            let edge = noiseVariance * ratio * ratio * 1.1
            rank = max(1, values.prefix { $0 > edge }.count)
        }
        var kept = [Double](repeating: 0, count: planes * rank)
        for l in 0..<planes { for j in 0..<rank { kept[l * rank + j] = basis[l * wanted + j] } }
        let explained = total > 0 ? values.prefix(rank).reduce(0, +) / total : 1
        return Subspace(basis: kept, rank: rank, explainedVariance: min(1, explained))
    }
}
