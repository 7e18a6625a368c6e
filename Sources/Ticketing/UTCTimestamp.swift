import Foundation

/// ISO 8601 timestamps in UTC, as log lines and the CLI print them: `2026-11-23T10:34:56Z`, or
/// `2026-11-23T10:34:56.042Z` with milliseconds (never rounded up into the next second).
public enum UTCTimestamp {
    public static func iso(_ date: Date, milliseconds: Bool) -> String {
        let seconds = date.timeIntervalSince1970
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        // Digits written by hand: String(format:) cost more than the rest of a log line.
        var out = [UInt8](repeating: 0, count: milliseconds ? 24 : 20)
        func put(_ value: Int, at start: Int, width: Int) {
            var v = value
            for i in stride(from: start + width - 1, through: start, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, at: 0, width: 4)
        put(Int(parts.tm_mon) + 1, at: 5, width: 2)
        put(Int(parts.tm_mday), at: 8, width: 2)
        put(Int(parts.tm_hour), at: 11, width: 2)
        put(Int(parts.tm_min), at: 14, width: 2)
        put(Int(parts.tm_sec), at: 17, width: 2)
        for (i, c) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")] as [(Int, Unicode.Scalar)] {
            out[i] = UInt8(c.value)
        }
        if milliseconds {
            out[19] = UInt8(ascii: ".")
            put(min(999, max(0, Int((seconds - Double(t)) * 1000))), at: 20, width: 3)
        }
        out[out.count - 1] = UInt8(ascii: "Z")
        return String(decoding: out, as: UTF8.self)
    }
}
