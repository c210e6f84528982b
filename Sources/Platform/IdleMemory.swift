import CMalloc

/// Gives the memory that finished work freed back to the system once nothing runs or is being taken. glibc keeps
/// freed blocks in its per-thread arenas for reuse, so a daemon idle after a few programs held 118–229 MB it no
/// longer used.
public enum IdleMemory {
    public static func release() { _ = malloc_trim(0) }
}
