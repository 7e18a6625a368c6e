import XCTest
import TestSupport
@testable import Ticketing

/// For random calendars, zones (with and without DST) and spans, the engine agrees with a
/// minute-by-minute count that reads each minute's wall-clock time through Foundation.
final class CalendarPropertyTests: XCTestCase {
    static let zones = ["Europe/Kyiv", "America/New_York", "UTC", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago"]

    static func randomCalendar(_ rng: inout SeededGenerator) -> WorkingCalendar {
        var days: [Weekday: [HoursRange]] = [:]
        for day in Weekday.allCases where Int.random(in: 0..<4, using: &rng) > 0 {
            // Ranges on a 15-minute grid; cuts at random points, paired into disjoint ranges.
            let cuts = (0..<(2 * Int.random(in: 1...3, using: &rng))).map { _ in Int.random(in: 0...96, using: &rng) * 15 }
            let sorted = Array(Set(cuts)).sorted()
            days[day] = stride(from: 0, to: sorted.count - 1, by: 2).compactMap {
                HoursRange(startMinute: sorted[$0], endMinute: sorted[$0 + 1])
            }
        }
        let zone = Self.zones[Int.random(in: 0..<Self.zones.count, using: &rng)]
        let holidays: [Holiday] = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            Bool.random(using: &rng) ? .yearly(month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))
                : .date(CivilDate(dayNumber: 20_400 + Int.random(in: 0...400, using: &rng)))
        }
        return WorkingCalendar(name: "random", timeZone: TimeZone(identifier: zone)!, hours: try! WeeklyHours(days), holidays: holidays)
    }

    /// Whether the wall clock at `t` shows working time, by Foundation's reading of the zone.
    static func bruteOpen(_ cal: WorkingCalendar, _ t: Date, _ foundation: Calendar) -> Bool {
        let c = foundation.dateComponents([.year, .month, .day, .hour, .minute], from: t)
        let date = CivilDate(year: c.year!, month: c.month!, day: c.day!)!
        if cal.holidays.contains(where: { $0.falls(on: date) }) { return false }
        let minute = c.hour! * 60 + c.minute!
        return cal.hours.ranges(on: date.weekday).contains { $0.startMinute <= minute && minute < $0.endMinute }
    }

    func testBusinessTimeEqualsAMinuteByMinuteCount() {
        var rng = SeededGenerator(seed: 15)
        // Spans around the 2026 DST changes of the zones above, and ordinary weeks.
        let anchors = ["2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01", "2026-04-05", "2026-09-06", "2026-12-07"]
            .map { Double(CivilDate($0)!.dayNumber) * 86_400 }
        for round in 0..<60 {
            let cal = Self.randomCalendar(&rng)
            var foundation = Calendar(identifier: .gregorian)
            foundation.timeZone = cal.timeZone
            let anchor = anchors[round % anchors.count]
            let from = anchor + Double(Int.random(in: -2 * 1440...1440, using: &rng)) * 60
            let minutes = Int.random(in: 0...(4 * 1440), using: &rng)
            var open = 0
            var firstOpen: TimeInterval?
            for m in 0..<minutes {
                let t = from + Double(m) * 60
                if Self.bruteOpen(cal, Date(timeIntervalSince1970: t), foundation) {
                    open += 1
                    if firstOpen == nil { firstOpen = t }
                }
            }
            let name = "round \(round): \(cal.timeZone.identifier) \(cal.hours) holidays \(cal.holidays)"
            let a = Date(timeIntervalSince1970: from), b = Date(timeIntervalSince1970: from + Double(minutes) * 60)
            XCTAssertEqual(cal.businessSeconds(from: a, to: b), Double(open) * 60, name)
            XCTAssertEqual(cal.isOpen(at: a), Self.bruteOpen(cal, a, foundation), name)
            if let firstOpen { XCTAssertEqual(cal.nextOpening(after: a)?.timeIntervalSince1970, firstOpen, name) }
            if open > 0 {
                let due = cal.adding(seconds: Double(open) * 60, to: a)!
                XCTAssertEqual(cal.businessSeconds(from: a, to: due), Double(open) * 60, name)
                XCTAssertLessThanOrEqual(due, b, name)
            }
        }
    }
}
