import COpenBLAS

/// OpenBLAS's worker threads, which the library starts when it is loaded, before `main`.
public enum BLASWorkers {
    /// Stops the workers until a BLAS call large enough to use threads (a fusion's Gram matrix) starts them again.
    ///
    /// An idle OpenBLAS worker spins on `sched_yield` for about 0.1 s before it sleeps, and it does so from the
    /// moment the library is loaded. On two cores that spinner takes a third of the CPU from the first 0.1 s of a
    /// run that never uses it: cleaning a rate file makes only 17×17 Cholesky solves, which OpenBLAS runs on the
    /// calling thread. Measured with OPENBLAS_NUM_THREADS=1, which keeps the workers from starting: 80 ms less CPU
    /// per `webbflow process` of a full-frame file (medians of 20 runs). Call once, first thing.
    public static func stopIdle() { _ = blas_thread_shutdown_() }
}
