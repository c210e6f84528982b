import CMalloc

/// How the C allocator treats large blocks, for processes that do one job and exit.
public enum MemoryPolicy {
    /// Lets glibc keep the planes a one-shot run frees for its next allocations. By default it unmaps each freed
    /// block it had mapped (above a threshold between 128 KiB and 32 MiB), a TLB shootdown on every core, and
    /// faults in and zeroes the next one afresh: about 5 % of a full-frame NSClean run's CPU time here. A process that
    /// exits after one job has no use for giving memory back early; the daemon, which runs for months, keeps
    /// glibc's defaults. Call before the first large allocation.
    public static func keepFreedMemory() {
        // 32 MiB is the largest mapping threshold glibc accepts; planes of a full frame are 16 MiB.
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
    }
}
