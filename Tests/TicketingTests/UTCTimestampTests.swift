import Foundation
import Ticketing
import XCTest

final class UTCTimestampTests: XCTestCase {
    func testSecondsAndMillisecondsFormsInUTC() {
        let date = Date(timeIntervalSince1970: 1_795_430_096.042)
        XCTAssertEqual(UTCTimestamp.iso(date, milliseconds: false), "2026-11-23T10:34:56Z")
        XCTAssertEqual(UTCTimestamp.iso(date, milliseconds: true), "2026-11-23T10:34:56.042Z")
    }

    func testMillisecondsAreCutNotRoundedIntoTheNextSecond() {
        let date = Date(timeIntervalSince1970: 946_684_799.9996)
        XCTAssertEqual(UTCTimestamp.iso(date, milliseconds: true), "1999-12-31T23:59:59.999Z")
        XCTAssertEqual(UTCTimestamp.iso(date, milliseconds: false), "1999-12-31T23:59:59Z")
    }

    func testTheEpochAndAFourDigitYearArePadded() {
        XCTAssertEqual(UTCTimestamp.iso(Date(timeIntervalSince1970: 0), milliseconds: true), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(UTCTimestamp.iso(Date(timeIntervalSince1970: 253_402_300_799), milliseconds: false), "9999-12-31T23:59:59Z")
    }
}
