/// A test on when a message arrived, in the queue's time zone (its calendar's).
public enum ArrivalTest: Sendable, Equatable, CustomStringConvertible {
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    case weekday(Set<Int>)
    /// From `from` (inclusive) to `to` (exclusive), whole hours; wraps past midnight when `from > to`.
    case hour(from: Int, to: Int)
    /// Outside the queue calendar's working hours (a queue without a calendar is always open).
    case outsideBusinessHours

    public static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public var description: String {
        switch self {
        case .weekday(let days):
            return "arrival weekday in [\(days.sorted().map { ArrivalTest.weekdayNames[$0 - 1] }.joined(separator: ", "))]"
        case .hour(let from, let to): return "arrival hour from \(from) to \(to)"
        case .outsideBusinessHours: return "arrival outside_business_hours"
        }
    }
}

/// When a message arrived, as seen in its queue's time zone; made by the caller from the clock.
public struct ArrivalFacts: Sendable, Equatable {
    public var weekday: Int
    public var hour: Int
    public var businessHours: Bool

    public init(weekday: Int, hour: Int, businessHours: Bool) {
        self.weekday = weekday
        self.hour = hour
        self.businessHours = businessHours
    }
}
