/// A day the calendar is closed: one date (`2026-12-25`) or the same date every year (`yearly:01-01`).
public enum Holiday: Hashable, Sendable, CustomStringConvertible {
    case date(CivilDate)
    case yearly(month: Int, day: Int)

    public static func parse(_ text: String) throws(CalendarParseError) -> Holiday {
        let t = text.trimmingWhitespace()
        if t.hasPrefix("yearly:") {
            let md = t.dropFirst("yearly:".count).split(separator: "-", omittingEmptySubsequences: false)
            // 2000 is a leap year, so yearly:02-29 is accepted (it applies in leap years only).
            guard md.count == 2, md.allSatisfy({ $0.count == 2 }), let m = Int(md[0]), let d = Int(md[1]),
                  CivilDate(year: 2000, month: m, day: d) != nil else {
                throw CalendarParseError("\"\(text)\" is not a yearly holiday like yearly:12-25")
            }
            return .yearly(month: m, day: d)
        }
        guard let date = CivilDate(t) else {
            throw CalendarParseError("\"\(text)\" is not a holiday: use a date like 2026-12-25 or yearly:12-25")
        }
        return .date(date)
    }

    public func falls(on date: CivilDate) -> Bool {
        switch self {
        case .date(let d): return d == date
        case .yearly(let m, let d): return date.month == m && date.day == d
        }
    }

    public var description: String {
        switch self {
        case .date(let d): return d.description
        case .yearly(let m, let d): return "yearly:\(pad(m, 2))-\(pad(d, 2))"
        }
    }
}
