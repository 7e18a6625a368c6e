import Foundation
import Ticketing

/// How the CLI shows stored times (unix seconds): ISO 8601 in UTC.
enum TimeText {
    static func iso(_ seconds: Int64) -> String {
        UTCTimestamp.iso(Date(timeIntervalSince1970: TimeInterval(seconds)), milliseconds: false)
    }

    /// `2026-11-23 14:05`, for tables.
    static func short(_ seconds: Int64) -> String {
        let s = iso(seconds)
        return String(s.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
