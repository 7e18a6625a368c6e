import CMalloc

/// glibc malloc settings for the daemon. Intake allocates and frees a message-sized buffer
/// (or several) per message; with glibc's defaults the heap top is given back to the kernel
/// and faulted in again over and over (brk, munmap and page faults were a fifth of the store
/// thread's time in the intake benchmark). Keeping up to 16 MB of freed heap, and serving
/// blocks under 4 MB from the heap rather than fresh mappings, removes that churn; peak RSS
/// did not move for 1 000 messages (41-42 MB either way). 64 MB kept was no faster and let
/// RSS wander up to 100 MB on 10 000.
/// One arena: the fetch thread allocates each message and its parse, the store thread frees
/// them; with an arena per thread each kept its own freed heap (1.5-2 MB more RSS at 10 000
/// messages, no measurable CPU difference: most small blocks go through the per-thread cache).
public enum AllocatorSettings {
    public static let trimThresholdBytes: Int32 = 16 << 20
    public static let mmapThresholdBytes: Int32 = 4 << 20
    public static let arenas: Int32 = 1

    /// Applies the settings to this process; false if glibc refused one (then defaults stay).
    @discardableResult
    public static func apply() -> Bool {
        let trim = mallopt(M_TRIM_THRESHOLD, trimThresholdBytes)
        let mmap = mallopt(M_MMAP_THRESHOLD, mmapThresholdBytes)
        let arena = mallopt(M_ARENA_MAX, arenas)
        return trim == 1 && mmap == 1 && arena == 1
    }
}
