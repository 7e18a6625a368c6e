import XCTest
@testable import Ticketing

/// Working time across daylight-saving changes: an instant counts when the local wall clock then
/// shows working hours, so 09:00 stays 09:00 and a range spanning a jump changes length.
/// Kyiv 2026: 03:00 → 04:00 on Sunday 29 March, 04:00 → 03:00 on Sunday 25 October.
/// New York 2026: 02:00 → 03:00 on Sunday 8 March, 02:00 → 01:00 on Sunday 1 November.
final class CalendarDSTTests: XCTestCase {
    let hour: TimeInterval = 3600

    func calendar(_ zone: String, _ hours: String, holidays: [Holiday] = []) -> WorkingCalendar {
        WorkingCalendar(name: "test", timeZone: TimeZone(identifier: zone)!, hours: try! WeeklyHours.parse(hours), holidays: holidays)
    }

    /// Whole days, but with a far-off holiday so the walk is used rather than the 24x7 shortcut.
    func wholeDays(_ zone: String) -> WorkingCalendar {
        calendar(zone, "daily 00:00-24:00", holidays: [.date(CivilDate(year: 2099, month: 1, day: 1)!)])
    }

    func testKyivOfficeHoursKeepTheirWallClockTimesOverTheSpringJump() {
        let office = calendar("Europe/Kyiv", "mon-fri 09:00-18:00")
        let friday = localDate("2026-03-27 17:00", zone: "Europe/Kyiv")
        let monday = localDate("2026-03-30 10:00", zone: "Europe/Kyiv")
        XCTAssertEqual(office.adding(seconds: 2 * hour, to: friday), monday)
        XCTAssertEqual(monday.timeIntervalSince1970 - friday.timeIntervalSince1970, 64 * hour, "an hour short of the 65 the wall clock shows")
        XCTAssertEqual(office.businessSeconds(from: friday, to: monday), 2 * hour)
        XCTAssertEqual(office.nextOpening(after: friday + 2 * hour), localDate("2026-03-30 09:00", zone: "Europe/Kyiv"))
    }

    func testKyivOfficeHoursOverTheAutumnRepeat() {
        let office = calendar("Europe/Kyiv", "mon-fri 09:00-18:00")
        let friday = localDate("2026-10-23 17:00", zone: "Europe/Kyiv")
        XCTAssertEqual(office.adding(seconds: 2 * hour, to: friday), localDate("2026-10-26 10:00", zone: "Europe/Kyiv"))
    }

    func testKyivDaysLast23And25Hours() {
        let kyiv = wholeDays("Europe/Kyiv")
        XCTAssertEqual(kyiv.businessSeconds(from: localDate("2026-03-29 00:00", zone: "Europe/Kyiv"),
                                            to: localDate("2026-03-30 00:00", zone: "Europe/Kyiv")), 23 * hour)
        XCTAssertEqual(kyiv.businessSeconds(from: localDate("2026-10-25 00:00", zone: "Europe/Kyiv"),
                                            to: localDate("2026-10-26 00:00", zone: "Europe/Kyiv")), 25 * hour)
    }

    func testKyivNightShiftSpanningTheChange() {
        let night = calendar("Europe/Kyiv", "sun 02:00-05:00")
        let spring = localDate("2026-03-29 00:00", zone: "Europe/Kyiv")
        XCTAssertEqual(night.businessSeconds(from: spring, to: spring + 12 * hour), 2 * hour, "03:00-04:00 never happened")
        let autumn = localDate("2026-10-25 00:00", zone: "Europe/Kyiv")
        XCTAssertEqual(night.businessSeconds(from: autumn, to: autumn + 12 * hour), 4 * hour, "03:00-04:00 happened twice")
    }

    func testNewYorkSpringJump() {
        let sunday = calendar("America/New_York", "sun 01:00-04:00")
        let day = localDate("2026-03-08 00:00", zone: "America/New_York")
        XCTAssertEqual(sunday.businessSeconds(from: day, to: day + 12 * hour), 2 * hour)
        XCTAssertEqual(sunday.adding(seconds: 90 * 60, to: day), localDate("2026-03-08 03:30", zone: "America/New_York"),
                       "an hour before the jump, half an hour after it")
        let late = calendar("America/New_York", "sun 02:30-05:00")
        XCTAssertEqual(late.nextOpening(after: day), localDate("2026-03-08 03:00", zone: "America/New_York"),
                       "02:30 is skipped; the clock passes it at the jump")
        XCTAssertEqual(wholeDays("America/New_York").businessSeconds(from: day, to: localDate("2026-03-09 00:00", zone: "America/New_York")),
                       23 * hour)
    }

    func testNewYorkAutumnRepeat() {
        let sunday = calendar("America/New_York", "sun 01:00-04:00")
        let day = localDate("2026-11-01 00:00", zone: "America/New_York")
        XCTAssertEqual(sunday.businessSeconds(from: day, to: day + 12 * hour), 4 * hour)
        let firstOneThirty = localDate("2026-11-01 01:30", zone: "America/New_York")
        XCTAssertEqual(sunday.adding(seconds: 3 * hour, to: firstOneThirty), firstOneThirty + 3 * hour,
                       "01:30 EDT + 3 h is 03:30 EST: the repeated hour counts")
        let short = calendar("America/New_York", "sun 01:00-01:30")
        XCTAssertEqual(short.businessSeconds(from: day, to: day + 12 * hour), hour, "both 01:00-01:30 count")
        XCTAssertFalse(short.isOpen(at: firstOneThirty))
        XCTAssertTrue(short.isOpen(at: firstOneThirty + 45 * 60), "01:15 EST, the second time round")
        XCTAssertEqual(wholeDays("America/New_York").businessSeconds(from: day, to: localDate("2026-11-02 00:00", zone: "America/New_York")),
                       25 * hour)
    }
}
