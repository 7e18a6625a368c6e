import Foundation

/// How the CLI shows stored times (unix seconds): ISO 8601 in UTC.
enum TimeText {
    static func iso(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                      Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }

    /// `2026-11-23 14:05`, for tables.
    static func short(_ seconds: Int64) -> String {
        let s = iso(seconds)
        return String(s.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
