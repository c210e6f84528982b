import COpenBLAS

/// Dense matrix products over BLAS on row-major double buffers, for code outside Numerics that must not
/// touch the C API.
public enum DenseProducts {
    /// C (m×n) = alpha · op(A) · op(B) + beta · C, row-major. op transposes when the flag is set:
    /// A is m×k (or k×m transposed), B is k×n (or n×k transposed).
    public static func multiply(
        _ a: UnsafePointer<Double>, transposeA: Bool = false, _ b: UnsafePointer<Double>, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Double>, m: Int, n: Int, k: Int, alpha: Double = 1, beta: Double = 0
    ) {
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
    }

    /// C (n×n, upper triangle) = alpha · Aᵀ A + beta · C for A with `rows` rows and n columns, row-major.
    public static func gram(
        _ a: UnsafePointer<Double>, rows: Int, columns n: Int, into c: UnsafeMutablePointer<Double>,
        alpha: Double = 1, beta: Double = 0
    ) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows), alpha, a, Int32(n), beta, c, Int32(n))
    }
}
