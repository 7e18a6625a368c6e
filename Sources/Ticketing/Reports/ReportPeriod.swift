import Foundation

/// How a report cuts time: UTC days, ISO weeks (from Monday) or calendar months.
public enum ReportGranularity: String, Sendable, CaseIterable {
    case day, week, month

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        c.firstWeekday = 2
        return c
    }()

    /// The start of the period holding `time`.
    public func start(of time: Int64) -> Int64 {
        switch self {
        case .day:
            return time - ((time % 86_400) + 86_400) % 86_400
        case .week:
            let day = ReportGranularity.day.start(of: time)
            // 1970-01-01 was a Thursday: days since a Monday = (days + 3) mod 7.
            let days = day / 86_400
            return day - ((days + 3) % 7 + 7) % 7 * 86_400
        case .month:
            let d = ReportGranularity.utc.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(time)))
            return Int64(ReportGranularity.utc.date(from: d)!.timeIntervalSince1970)
        }
    }

    /// The start of the period after the one starting at `start`.
    public func next(after start: Int64) -> Int64 {
        switch self {
        case .day: return start + 86_400
        case .week: return start + 7 * 86_400
        case .month:
            let d = ReportGranularity.utc.date(byAdding: .month, value: 1, to: Date(timeIntervalSince1970: TimeInterval(start)))!
            return Int64(d.timeIntervalSince1970)
        }
    }

    /// The periods covering [from, to): their starts, the first one holding `from`.
    public func starts(from: Int64, to: Int64) -> [Int64] {
        var out: [Int64] = []
        var s = start(of: from)
        while s < to { out.append(s); s = next(after: s) }
        return out
    }
}
