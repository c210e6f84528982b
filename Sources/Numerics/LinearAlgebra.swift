import COpenBLAS

/// Why a dense solve failed.
public struct LinearAlgebraError: Error, CustomStringConvertible, Sendable {
    public let routine: String
    public let info: Int32
    public var description: String {
        info > 0 ? "\(routine): matrix is singular or not positive definite (info \(info))" : "\(routine): invalid argument \(-info)"
    }
}

/// Small dense linear-algebra kernels over LAPACKE, on row-major contiguous buffers.
public enum LinearAlgebra {
    /// Solves the symmetric positive-definite system A x = b in place (Cholesky, LAPACK dposv).
    /// `a` is n×n row-major (its upper triangle is read) and is overwritten by its factor; `b` holds `nrhs`
    /// right-hand sides (n×nrhs) and becomes x.
    ///
    /// With one right-hand side the buffers are handed to LAPACK as they are: a row-major upper triangle is a
    /// column-major lower one, and a vector is the same in both layouts. LAPACKE's row-major path would copy both
    /// into freshly allocated transposes on every call, which costs more than solving a small system (NSClean
    /// solves one 17×17 system per detector line).
    public static func solveSPD(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, n: Int, nrhs: Int = 1)
        throws(LinearAlgebraError)
    {
        let info =
            nrhs == 1
            ? LAPACKE_dposv(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), 1, a, Int32(n), b, Int32(n))
            : LAPACKE_dposv(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), Int32(nrhs), a, Int32(n), b, Int32(nrhs))
        if info != 0 { throw LinearAlgebraError(routine: "dposv", info: info) }
    }

    /// Least-squares solution of the m×n system A x ≈ b (m ≥ n) by QR (LAPACK dgels). `a` is row-major and is
    /// overwritten; `b` has length m and its first n entries become x.
    public static func leastSquares(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, rows m: Int, columns n: Int)
        throws(LinearAlgebraError)
    {
        let info = LAPACKE_dgels(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(m), Int32(n), 1, a, Int32(n), b, 1)
        if info != 0 { throw LinearAlgebraError(routine: "dgels", info: info) }
    }

    /// Solves a symmetric positive-definite banded system (LAPACK dpbsv). Row `i` of `ab` holds the diagonal and
    /// the `kd` entries to its right: `ab[i * (kd + 1) + (j - i)] = A[i][j]` for j in i…i+kd (entries past the
    /// last row are ignored). That is LAPACK's column-major lower band storage, so no copy is needed.
    /// `b` (length n) becomes the solution.
    public static func solveBandedSPD(_ ab: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, n: Int, bandwidth kd: Int)
        throws(LinearAlgebraError)
    {
        let info = LAPACKE_dpbsv(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), Int32(kd), 1, ab, Int32(kd + 1), b, Int32(n))
        if info != 0 { throw LinearAlgebraError(routine: "dpbsv", info: info) }
    }
}
