/// One stretch of working time within a day, in minutes after local midnight: `09:00-13:00` is
/// 540..<780. The end may be 24:00 (1440) so a range can run to midnight.
public struct HoursRange: Hashable, Sendable, CustomStringConvertible {
    public let startMinute: Int
    public let endMinute: Int

    public init?(startMinute: Int, endMinute: Int) {
        guard 0 <= startMinute, startMinute < endMinute, endMinute <= 1440 else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public static let wholeDay = HoursRange(startMinute: 0, endMinute: 1440)!

    /// Reads `HH:MM-HH:MM`.
    public static func parse(_ text: String) throws(CalendarParseError) -> HoursRange {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2 else { throw CalendarParseError("\"\(text)\" is not a time range like 09:00-17:30") }
        let start = try minute(of: Substring(ends[0].trimmingWhitespace()), in: text)
        let end = try minute(of: Substring(ends[1].trimmingWhitespace()), in: text)
        guard let range = HoursRange(startMinute: start, endMinute: end) else {
            throw CalendarParseError("\"\(text)\": the range must end after it starts (a day ends at 24:00)")
        }
        return range
    }

    private static func minute(of time: Substring, in text: String) throws(CalendarParseError) -> Int {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]) else {
            throw CalendarParseError("\"\(time)\" in \"\(text)\" is not a time like 09:00")
        }
        guard (0...23).contains(h) && (0...59).contains(m) || (h == 24 && m == 0) else {
            throw CalendarParseError("\"\(time)\" in \"\(text)\" is not a time of day (00:00 to 24:00)")
        }
        return h * 60 + m
    }

    public var description: String { "\(Self.clock(startMinute))-\(Self.clock(endMinute))" }

    static func clock(_ minute: Int) -> String { "\(pad(minute / 60, 2)):\(pad(minute % 60, 2))" }
}
