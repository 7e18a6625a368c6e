import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The filesystem a path lives on: free bytes (for an unprivileged writer), size, read-only.
public struct FilesystemSpace: Sendable, Equatable {
    public var free: UInt64
    public var size: UInt64
    public var readOnly: Bool

    public init(free: UInt64, size: UInt64, readOnly: Bool) {
        self.free = free
        self.size = size
        self.readOnly = readOnly
    }

    /// statvfs(3) of `path`; nil when it cannot be asked (the path does not exist).
    public static func of(_ path: String) -> FilesystemSpace? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let unit = UInt64(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        return FilesystemSpace(free: UInt64(info.f_bavail) * unit, size: UInt64(info.f_blocks) * unit,
                               readOnly: info.f_flag & UInt(ST_RDONLY) != 0)
    }

    /// Below 10 % of the filesystem or 500 MB free, whichever is hit first, the store may soon
    /// refuse mail (which then waits on the server; nothing is lost, but nothing arrives).
    public var isLow: Bool {
        free < 500 * 1_000_000 || free * 10 < size
    }

    public var percentFree: Double { size == 0 ? 0 : Double(free) * 100 / Double(size) }

    /// `77.1 GB`, `812 MB`, `1.4 MB`.
    public static func text(_ bytes: UInt64) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e7 { return String(format: "%.0f MB", b / 1e6) }
        return String(format: "%.1f MB", b / 1e6)
    }
}
