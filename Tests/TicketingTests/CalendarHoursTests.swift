import XCTest
@testable import Ticketing

/// Reading weekly hours, holidays and dates as config and agents write them.
final class CalendarHoursTests: XCTestCase {
    func hours(_ text: String) throws -> WeeklyHours { try WeeklyHours.parse(text) }

    func reason(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("expected a parse error", file: file, line: line)
            return ""
        } catch { return (error as? CalendarParseError)?.reason ?? "\(error)" }
    }

    func testCalendarFormTakesSeveralRangesADay() throws {
        let week = try WeeklyHours.parse(entries: [("mon-fri", "09:00-13:00,14:00-18:00"), ("sat", "10:00-14:00")])
        XCTAssertEqual(week.ranges(on: .wed).map(\.description), ["09:00-13:00", "14:00-18:00"])
        XCTAssertEqual(week.ranges(on: .sat).map(\.description), ["10:00-14:00"])
        XCTAssertEqual(week.ranges(on: .sun), [])
        XCTAssertEqual(week.description, "mon-fri 09:00-13:00,14:00-18:00; sat 10:00-14:00")
        XCTAssertEqual(week.secondsPerWeek, 5 * 8 * 3600 + 4 * 3600)
    }

    func testAgentStringFormsReadTheSameAsTheCalendarForm() throws {
        XCTAssertEqual(try hours("mon-fri 09:00-17:30").description, "mon-fri 09:00-17:30")
        let split = try hours("mon-fri 09:00-12:00,13:00-17:30; sat 10:00-14:00")
        XCTAssertEqual(split, try WeeklyHours.parse(entries: [("mon-fri", "09:00-12:00,13:00-17:30"), ("sat", "10:00-14:00")]))
        XCTAssertEqual(try hours("  mon-fri  09:00-12:00, 13:00-17:30 ;sat 10:00-14:00 "), split, "spaces are free")
        XCTAssertEqual(try hours("Monday-Friday 09:00-17:00"), try hours("mon-fri 09:00-17:00"), "full names, any case")
    }

    func testDaySetsListsWrapsAndDaily() throws {
        XCTAssertEqual(try WeeklyHours.daySet("mon,wed,fri"), [.mon, .wed, .fri])
        XCTAssertEqual(try WeeklyHours.daySet("fri-mon"), [.fri, .sat, .sun, .mon], "a range wraps over the weekend")
        XCTAssertEqual(try WeeklyHours.daySet("daily"), Weekday.allCases)
        XCTAssertEqual(try hours("daily 00:00-24:00"), .always)
        XCTAssertEqual(try hours("24x7"), .always)
        XCTAssertTrue(WeeklyHours.always.isAlways)
    }

    func testADayNamedTwiceGetsBothEntries() throws {
        let night = try hours("mon-fri 22:00-24:00; tue-sat 00:00-06:00")
        XCTAssertEqual(night.ranges(on: .tue).map(\.description), ["00:00-06:00", "22:00-24:00"])
        XCTAssertEqual(night.ranges(on: .sat).map(\.description), ["00:00-06:00"])
    }

    func testTouchingRangesJoinAndClosedDaysStayEmpty() throws {
        let week = try WeeklyHours.parse(entries: [("mon", "13:00-18:00,09:00-13:00"), ("sun", "closed")])
        XCTAssertEqual(week.ranges(on: .mon).map(\.description), ["09:00-18:00"])
        XCTAssertEqual(week.ranges(on: .sun), [])
    }

    func testMistakesAreNamedPlainly() {
        XCTAssertEqual(reason { try self.hours("mon-fry 09:00-17:00") },
                       "\"fry\" in \"mon-fry\" is not a day (use mon, tue, wed, thu, fri, sat, sun, a range like mon-fri, or daily)")
        XCTAssertEqual(reason { try self.hours("mon-fri 9-17") }, "mon-fri: \"9\" in \"9-17\" is not a time like 09:00")
        XCTAssertEqual(reason { try self.hours("mon-fri 18:00-09:00") },
                       "mon-fri: \"18:00-09:00\": the range must end after it starts (a day ends at 24:00)")
        XCTAssertEqual(reason { try self.hours("mon 25:00-26:00") }, "mon: \"25:00\" in \"25:00-26:00\" is not a time of day (00:00 to 24:00)")
        XCTAssertEqual(reason { try self.hours("mon 09:00-13:00,12:00-18:00") }, "mon: 09:00-13:00 and 12:00-18:00 overlap")
        XCTAssertEqual(reason { try self.hours("mon-fri 09:00-17:00; fri 13:00-20:00") },
                       "fri: 09:00-17:00 and 13:00-20:00 overlap", "a second entry adds to a day, never overrides it")
        XCTAssertEqual(reason { try self.hours("mon-fri") }, "\"mon-fri\" needs days then hours, like \"mon-fri 09:00-17:30\"")
        XCTAssertEqual(reason { try self.hours("") }, "\"\" needs days then hours, like \"mon-fri 09:00-17:30\"")
        XCTAssertEqual(reason { try self.hours("mon closed") }, "\"mon closed\" has no working hours")
        XCTAssertEqual(reason { try self.hours("mon 09:00") }, "mon: \"09:00\" is not a time range like 09:00-17:30")
    }

    func testHolidaysOneOffAndYearly() throws {
        XCTAssertEqual(try Holiday.parse("2026-12-25"), .date(CivilDate(year: 2026, month: 12, day: 25)!))
        XCTAssertEqual(try Holiday.parse("yearly:01-01"), .yearly(month: 1, day: 1))
        XCTAssertEqual(try Holiday.parse("yearly:02-29").description, "yearly:02-29", "leap day, kept in leap years")
        XCTAssertTrue(Holiday.yearly(month: 1, day: 1).falls(on: CivilDate(year: 2031, month: 1, day: 1)!))
        XCTAssertFalse(Holiday.date(CivilDate(year: 2026, month: 12, day: 25)!).falls(on: CivilDate(year: 2027, month: 12, day: 25)!))
        XCTAssertEqual(reason { try Holiday.parse("2026-02-30") },
                       "\"2026-02-30\" is not a holiday: use a date like 2026-12-25 or yearly:12-25")
        XCTAssertEqual(reason { try Holiday.parse("yearly:13-01") }, "\"yearly:13-01\" is not a yearly holiday like yearly:12-25")
        XCTAssertEqual(reason { try Holiday.parse("christmas") },
                       "\"christmas\" is not a holiday: use a date like 2026-12-25 or yearly:12-25")
    }

    func testCivilDatesAgreeWithFoundationFrom1901To2369() {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        for dayNumber in stride(from: -25_000, through: 146_097, by: 97) {
            let parts = utc.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(dayNumber) * 86_400))
            let date = CivilDate(dayNumber: dayNumber)
            XCTAssertEqual([date.year, date.month, date.day], [parts.year!, parts.month!, parts.day!])
            XCTAssertEqual(date.dayNumber, dayNumber)
            XCTAssertEqual((date.weekday.rawValue + 1) % 7 + 1, parts.weekday!, "Foundation counts Sunday as 1")
        }
        XCTAssertEqual(CivilDate("2026-12-07")?.weekday, .mon)
        XCTAssertNil(CivilDate("2026-13-01"))
        XCTAssertNil(CivilDate("2026-1-01"))
        XCTAssertEqual(CivilDate("2028-02-29")?.description, "2028-02-29")
        XCTAssertNil(CivilDate("2100-02-29"), "2100 is no leap year")
    }
}
