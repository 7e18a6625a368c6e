#if canImport(Glibc)
import Glibc
#endif

/// Old Mac mailers ended lines with a bare CR. Like CPython's `email`, we read such a message by
/// treating every CR that no LF follows as a line end; CRLF and LF mail pass untouched (no copy).
enum LineEnds {
    /// Whether the first line of `bytes` ends in a CR that no LF follows (a CR before the first LF, or
    /// CRs and no LF at all). Only the first line is looked at: one memchr for ordinary mail.
    static func endsLinesWithBareCR(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress, !p.isEmpty else { return false }
            let scan = min(p.count, 64 * 1024)
            let lf = memchr(base, 0x0A, scan).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
            let limit = lf ?? scan
            guard let cr = memchr(base, 0x0D, limit).map({ base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }) else { return false }
            return cr + 1 != lf
        }
    }

    /// `bytes` with each CR that no LF follows turned into LF.
    static func bareCRToLF(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let n = out.count
        out.withUnsafeMutableBufferPointer { p in
            for i in 0..<n where p[i] == 0x0D && (i + 1 == n || p[i + 1] != 0x0A) { p[i] = 0x0A }
        }
        return out
    }
}
