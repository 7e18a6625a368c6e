import XCTest
@testable import Ticketing

/// Working-time arithmetic in a Kyiv office: 09:00-13:00 and 14:00-18:00 on weekdays, closed at
/// Christmas and on New Year's Day. December 2026: Monday the 7th, Friday the 25th.
final class CalendarArithmeticTests: XCTestCase {
    let office = WorkingCalendar(
        name: "office", timeZone: TimeZone(identifier: "Europe/Kyiv")!,
        hours: try! WeeklyHours.parse(entries: [("mon-fri", "09:00-13:00,14:00-18:00")]),
        holidays: [.date(CivilDate(year: 2026, month: 12, day: 25)!), .yearly(month: 1, day: 1)])

    /// The instant the office's clocks show `text` (`2026-12-07 09:00`).
    func at(_ text: String, in zone: String = "Europe/Kyiv") -> Date { localDate(text, zone: zone) }

    func testOpenDuringRangesAndClosedAtLunchNightsWeekendsAndHolidays() {
        XCTAssertFalse(office.isOpen(at: at("2026-12-07 08:59")))
        XCTAssertTrue(office.isOpen(at: at("2026-12-07 09:00")), "a range includes its start")
        XCTAssertTrue(office.isOpen(at: at("2026-12-07 12:59")))
        XCTAssertFalse(office.isOpen(at: at("2026-12-07 13:00")), "and excludes its end")
        XCTAssertFalse(office.isOpen(at: at("2026-12-07 13:30")), "lunch")
        XCTAssertTrue(office.isOpen(at: at("2026-12-07 14:00")))
        XCTAssertFalse(office.isOpen(at: at("2026-12-07 18:00")))
        XCTAssertFalse(office.isOpen(at: at("2026-12-12 11:00")), "Saturday")
        XCTAssertFalse(office.isOpen(at: at("2026-12-25 11:00")), "Christmas, a one-off holiday")
        XCTAssertFalse(office.isOpen(at: at("2027-01-01 11:00")), "New Year, a yearly holiday")
        XCTAssertTrue(office.isOpen(at: at("2027-12-24 11:00")))
    }

    func testNextOpening() {
        XCTAssertEqual(office.nextOpening(after: at("2026-12-07 10:15")), at("2026-12-07 10:15"), "open now")
        XCTAssertEqual(office.nextOpening(after: at("2026-12-07 13:10")), at("2026-12-07 14:00"), "after lunch")
        XCTAssertEqual(office.nextOpening(after: at("2026-12-11 18:30")), at("2026-12-14 09:00"), "Friday evening: Monday")
        XCTAssertEqual(office.nextOpening(after: at("2026-12-24 19:00")), at("2026-12-28 09:00"), "over Christmas and a weekend")
        XCTAssertEqual(office.nextOpening(after: at("2026-12-31 18:00")), at("2027-01-04 09:00"), "over the year's end")
    }

    func testBusinessSecondsCountOnlyWorkingTime() {
        let hour: TimeInterval = 3600
        XCTAssertEqual(office.businessSeconds(from: at("2026-12-07 08:00"), to: at("2026-12-07 19:00")), 8 * hour)
        XCTAssertEqual(office.businessSeconds(from: at("2026-12-11 17:00"), to: at("2026-12-14 10:00")), 2 * hour, "weekend skipped")
        XCTAssertEqual(office.businessSeconds(from: at("2026-12-24 17:00"), to: at("2026-12-28 10:00")), 2 * hour, "holiday skipped")
        XCTAssertEqual(office.businessSeconds(from: at("2026-12-07 00:00"), to: at("2026-12-14 00:00")), 40 * hour, "a week")
        XCTAssertEqual(office.businessSeconds(from: at("2026-12-07 12:00"), to: at("2026-12-07 11:00")), 0, "backwards is nothing")
    }

    func testATicketAt1755WithAThirtyMinuteTargetIsDueNextMorning() {
        XCTAssertEqual(office.adding(seconds: 30 * 60, to: at("2026-12-08 17:55")), at("2026-12-09 09:25"))
        XCTAssertEqual(office.adding(seconds: 30 * 60, to: at("2026-12-11 17:55")), at("2026-12-14 09:25"), "Friday: Monday")
    }

    func testAddingStartsAtTheNextOpeningAndStopsAtClosingTimeExactly() {
        XCTAssertEqual(office.adding(seconds: 3600, to: at("2026-12-12 15:00")), at("2026-12-14 10:00"), "created Saturday")
        XCTAssertEqual(office.adding(seconds: 3600, to: at("2026-12-07 12:00")), at("2026-12-07 13:00"), "due at closing, not after lunch")
        XCTAssertEqual(office.adding(seconds: 3600, to: at("2026-12-07 12:30")), at("2026-12-07 14:30"), "lunch does not count")
        XCTAssertEqual(office.adding(seconds: 0, to: at("2026-12-12 15:00")), at("2026-12-12 15:00"))
        XCTAssertEqual(office.adding(seconds: 8 * 3600, to: at("2026-12-07 09:00")), at("2026-12-07 18:00"))
    }

    func testTheLastDayOfAMonth() {
        XCTAssertEqual(office.adding(seconds: 2 * 3600, to: at("2026-12-31 17:00")), at("2027-01-04 10:00"),
                       "31 December into a holiday and a weekend")
        XCTAssertEqual(office.adding(seconds: 3600, to: at("2026-04-30 17:30")), at("2026-05-01 09:30"), "30 April into 1 May")
        XCTAssertEqual(office.adding(seconds: 3600, to: at("2028-02-28 17:30")), at("2028-02-29 09:30"), "a leap day is a day")
    }

    func testWallClockCalendarIsPlainTime() {
        let always = WorkingCalendar.always
        XCTAssertTrue(always.isAlways)
        let t = at("2026-12-12 03:17")
        XCTAssertTrue(always.isOpen(at: t))
        XCTAssertEqual(always.nextOpening(after: t), t)
        XCTAssertEqual(always.adding(seconds: 2 * 86_400, to: t), t + 2 * 86_400)
        XCTAssertEqual(always.businessSeconds(from: t, to: t + 12_345), 12_345)
    }

    func testACalendarThatNeverOpensAnswersNil() throws {
        let never = WorkingCalendar(name: "never", timeZone: TimeZone(identifier: "UTC")!,
                                    hours: try WeeklyHours.parse("mon 09:00-17:00"),
                                    holidays: (1...12).flatMap { m in (1...31).map { Holiday.yearly(month: m, day: $0) } })
        XCTAssertNil(never.nextOpening(after: at("2026-12-07 10:00")))
        XCTAssertNil(never.adding(seconds: 60, to: at("2026-12-07 10:00")))
        XCTAssertFalse(never.isOpen(at: at("2026-12-07 10:00")))
    }
}

/// The instant local clocks in `zone` show `text` (`yyyy-MM-dd HH:mm`), through Foundation's own
/// calendar, so tests check the engine against an independent reading of the zone.
func localDate(_ text: String, zone: String) -> Date {
    let parts = text.split(whereSeparator: { "- :".contains($0) }).map { Int($0)! }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: zone)!
    return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))!
}
