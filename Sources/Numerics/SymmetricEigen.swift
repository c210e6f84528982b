import COpenBLAS

/// Leading eigenpairs of a real symmetric matrix (LAPACK dsyevr), for principal component analyses.
public enum SymmetricEigen {
    /// The `count` largest eigenvalues (descending) and their eigenvectors of the n×n row-major symmetric
    /// matrix `a` (overwritten). Eigenvectors come back row-major n×count: column j belongs to value j.
    public static func largest(_ a: inout [Double], n: Int, count: Int) throws(LinearAlgebraError) -> (values: [Double], vectors: [Double])
    {
        let m = max(1, min(count, n))
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * m)
        var support = [Int32](repeating: 0, count: 2 * m)
        var found: Int32 = 0
        let info = a.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dsyevr(
                LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "I")), CChar(UInt8(ascii: "U")),
                Int32(n), ap.baseAddress, Int32(n), 0, 0, Int32(n - m + 1), Int32(n), 0, &found, &values,
                &vectors, Int32(m), &support)
        }
        if info != 0 { throw LinearAlgebraError(routine: "dsyevr", info: info) }
        // dsyevr returns ascending order; callers want the largest first.
        let ascending = Array(values.prefix(Int(found)))
        var outValues = [Double](repeating: 0, count: m)
        var outVectors = [Double](repeating: 0, count: n * m)
        for j in 0..<m {
            let source = m - 1 - j
            outValues[j] = ascending[source]
            for i in 0..<n { outVectors[i * m + j] = vectors[i * m + source] }
        }
        return (outValues, outVectors)
    }
}
