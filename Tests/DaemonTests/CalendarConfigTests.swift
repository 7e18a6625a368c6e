import Foundation
@testable import Daemon
import Ticketing
import XCTest

/// The `calendars` section: named calendars, both hours forms, holidays, and errors that name
/// file, key and reason.
final class CalendarConfigTests: XCTestCase {
    func parse(_ calendars: String) throws -> Config {
        try Config.parse(Array(#"{"calendars": \#(calendars)}"#.utf8), file: "config.json")
    }

    func problem(_ calendars: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(calendars)
            XCTFail("expected a config error", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error is ConfigError, "\(type(of: error)): \(error)", file: file, line: line)
            return "\(error)"
        }
    }

    func testTheIssueExampleParses() throws {
        let config = try parse("""
            {"office": {"time_zone": "Europe/Kyiv", "hours": {"mon-fri": "09:00-13:00,14:00-18:00", "sat": "10:00-14:00"},
                        "holidays": ["2026-12-25", "yearly:01-01"]},
             "night": {"time_zone": "America/New_York", "hours": "mon-fri 22:00-24:00; tue-sat 00:00-06:00"}}
            """)
        let office = try XCTUnwrap(config.calendar(named: "office"))
        XCTAssertEqual(office.timeZone.identifier, "Europe/Kyiv")
        XCTAssertEqual(office.hours.description, "mon-fri 09:00-13:00,14:00-18:00; sat 10:00-14:00")
        XCTAssertEqual(office.holidays.map(\.description), ["2026-12-25", "yearly:01-01"])
        XCTAssertEqual(config.calendar(named: "night")?.hours.ranges(on: .sat).map(\.description), ["00:00-06:00"])
        XCTAssertEqual(config.calendar(named: "24x7"), .always, "built in")
        XCTAssertNil(config.calendar(named: "weekend"))
    }

    func testNoCalendarsIsFine() throws {
        XCTAssertEqual(try Config.parse(Array("{}".utf8), file: "config.json").calendars, [:])
    }

    func testErrorsNameFileKeyAndReason() {
        XCTAssertEqual(problem(#"{"office": {"time_zone": "Mars/Olympus", "hours": "mon-fri 09:00-17:00"}}"#),
                       #"config.json: calendars.office.time_zone: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Kyiv, or UTC)"#)
        XCTAssertEqual(problem(#"{"office": {"time_zone": "EST", "hours": "mon-fri 09:00-17:00"}}"#),
                       #"config.json: calendars.office.time_zone: unknown time zone "EST" (use an IANA name like Europe/Kyiv, or UTC)"#)
        XCTAssertEqual(problem(#"{"office": {"hours": "mon-fri 09:00-17:00"}}"#), "config.json: calendars.office.time_zone: is required")
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC"}}"#), "config.json: calendars.office.hours: is required")
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC", "hours": {"mon-fri": "9-17"}}}"#),
                       #"config.json: calendars.office.hours: mon-fri: "9" in "9-17" is not a time like 09:00"#)
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC", "hours": {"mon-fri": 9}}}"#),
                       #"config.json: calendars.office.hours.mon-fri: must be a string like "09:00-17:30""#)
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC", "hours": {"mon": "closed"}}}"#),
                       "config.json: calendars.office.hours: has no working hours on any day")
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC", "hours": "mon 09:00-17:00", "holidays": ["2026-02-30"]}}"#),
                       #"config.json: calendars.office.holidays[0]: "2026-02-30" is not a holiday: use a date like 2026-12-25 or yearly:12-25"#)
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC", "hours": "mon 09:00-17:00", "holidays": "2026-12-25"}}"#),
                       "config.json: calendars.office.holidays: must be an array")
        XCTAssertEqual(problem(#"{"office": {"time_zone": "UTC", "hours": "mon 09:00-17:00", "holiday": []}}"#),
                       #"config.json: calendars.office.holiday: unknown key (did you mean "holidays"?)"#)
        XCTAssertEqual(problem(#"{"24x7": {"time_zone": "UTC", "hours": "mon 09:00-17:00"}}"#),
                       #"config.json: calendars.24x7: "24x7" is the built-in wall-clock calendar; choose another name"#)
        XCTAssertEqual(problem(#"["office"]"#), "config.json: calendars: must be an object of named calendars")
    }
}
