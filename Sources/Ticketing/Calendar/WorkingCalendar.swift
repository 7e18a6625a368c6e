import Foundation

/// When a team works: weekly hours in a time zone, minus holidays. SLA targets and agent working
/// hours are counted in one. An instant is working time when the local wall clock then shows a
/// working day and a time inside one of its ranges, so across a DST change 09:00 stays 09:00, a
/// range spanning a spring jump is an hour shorter in real time and one spanning an autumn
/// repeat an hour longer. Every question is answered by one walk over time (`forEachInterval`).
public struct WorkingCalendar: Equatable, Sendable {
    /// The name the config gives it (`24x7` for wall-clock time).
    public var name: String
    public var timeZone: TimeZone
    public var hours: WeeklyHours
    public let holidays: [Holiday]
    /// The holidays as sets: every day of a walk asks.
    private let holidayDates: Set<CivilDate>
    private let yearlyHolidays: Set<Int>

    public init(name: String, timeZone: TimeZone, hours: WeeklyHours, holidays: [Holiday] = []) {
        self.name = name
        self.timeZone = timeZone
        self.hours = hours
        self.holidays = holidays
        var dates = Set<CivilDate>(), yearly = Set<Int>()
        for holiday in holidays {
            switch holiday {
            case .date(let d): dates.insert(d)
            case .yearly(let m, let d): yearly.insert(m * 100 + d)
            }
        }
        holidayDates = dates
        yearlyHolidays = yearly
    }

    /// The name under which `always` is known to config; no calendar may take it.
    public static let alwaysName = "24x7"

    /// Wall-clock time: every second counts.
    public static let always = WorkingCalendar(name: alwaysName, timeZone: TimeZone(identifier: "UTC")!, hours: .always)

    /// True when every second counts, so the arithmetic is plain subtraction.
    public var isAlways: Bool { hours.isAlways && holidays.isEmpty }

    /// How far ahead the walk looks for working time before giving up (a calendar whose hours all
    /// fall on holidays never opens): ten years.
    static let searchSeconds: TimeInterval = 3_660 * 86_400

    // MARK: - Questions

    /// Whether `date` falls inside working time (a range includes its start, not its end).
    public func isOpen(at date: Date) -> Bool {
        if isAlways { return true }
        let t = date.timeIntervalSince1970
        var open = false
        forEachInterval(from: t) { start, _ in
            open = start == t
            return false
        }
        return open
    }

    /// The first working instant at or after `date`: `date` itself when open. Nil if the calendar
    /// never opens again.
    public func nextOpening(after date: Date) -> Date? {
        if isAlways { return date }
        var found: TimeInterval?
        forEachInterval(from: date.timeIntervalSince1970) { start, _ in
            found = start
            return false
        }
        return found.map(Date.init(timeIntervalSince1970:))
    }

    /// Working seconds between two instants (0 when `to` is not after `from`).
    public func businessSeconds(from: Date, to: Date) -> TimeInterval {
        let a = from.timeIntervalSince1970, b = to.timeIntervalSince1970
        guard b > a else { return 0 }
        if isAlways { return b - a }
        var total: TimeInterval = 0
        forEachInterval(from: a) { start, end in
            guard start < b else { return false }
            total += min(end, b) - start
            return true
        }
        return total
    }

    /// The instant at which `seconds` of working time have passed since `date`: the earliest `u`
    /// with `businessSeconds(from: date, to: u) == seconds`. A budget used up exactly at closing
    /// time is due at closing time, not at the next opening. Nil if the calendar never opens again.
    public func adding(seconds: TimeInterval, to date: Date) -> Date? {
        guard seconds > 0 else { return date }
        if isAlways { return date + seconds }
        var left = seconds
        var due: TimeInterval?
        forEachInterval(from: date.timeIntervalSince1970) { start, end in
            if left <= end - start {
                due = start + left
                return false
            }
            left -= end - start
            return true
        }
        return due.map(Date.init(timeIntervalSince1970:))
    }

    /// Whether `date` is a holiday here.
    public func isHoliday(_ date: CivilDate) -> Bool {
        (!yearlyHolidays.isEmpty && yearlyHolidays.contains(date.month * 100 + date.day))
            || (!holidayDates.isEmpty && holidayDates.contains(date))
    }

    // MARK: - The walk

    /// Calls `body` with each stretch of working time at or after `t` (the first clipped to start
    /// at `t`), in time order, until it returns false or ten years have been searched. Time is cut
    /// into pieces of at most a day with one UTC offset each; within a piece local time is
    /// `t + offset`, so the wall-clock ranges map to instants by one subtraction. Stretches may
    /// come split at piece borders; callers only add them up or take the first.
    func forEachInterval(from t: TimeInterval, _ body: (TimeInterval, TimeInterval) -> Bool) {
        var pieceStart = t
        let limit = t + Self.searchSeconds
        while pieceStart < limit {
            let o = offset(pieceStart)
            var pieceEnd = pieceStart + 86_400
            if offset(pieceEnd) != o { pieceEnd = transition(after: pieceStart, before: pieceEnd, leaving: o) }
            let wallStart = pieceStart + o, wallEnd = pieceEnd + o
            var day = Int((wallStart / 86_400).rounded(.down))
            while Double(day) * 86_400 < wallEnd {
                let date = CivilDate(dayNumber: day)
                if !isHoliday(date) {
                    let midnight = Double(day) * 86_400
                    for range in hours.ranges(on: date.weekday) {
                        let s = max(midnight + Double(range.startMinute) * 60, wallStart)
                        let e = min(midnight + Double(range.endMinute) * 60, wallEnd)
                        if e > s, !body(s - o, e - o) { return }
                    }
                }
                day += 1
            }
            pieceStart = pieceEnd
        }
    }

    /// The first whole second after `lo` whose UTC offset is no longer `o` (offsets change on
    /// whole seconds); `hi` is known to have another offset.
    private func transition(after lo: TimeInterval, before hi: TimeInterval, leaving o: TimeInterval) -> TimeInterval {
        var lo = lo.rounded(.down), hi = hi.rounded(.up)
        while hi - lo > 1 {
            let mid = ((lo + hi) / 2).rounded(.down)
            if offset(mid) == o { lo = mid } else { hi = mid }
        }
        return hi
    }

    private func offset(_ t: TimeInterval) -> TimeInterval {
        Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
    }
}
