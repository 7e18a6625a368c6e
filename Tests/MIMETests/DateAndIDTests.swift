import Foundation
import MIME
import XCTest

/// Date headers in RFC 5322 and broken forms; Message-ID lists tolerant of junk.
final class DateAndIDTests: XCTestCase {
    func date(_ value: String) -> String? {
        Sample.message("Date: \(value)\n\nx\n").date.map(Message.iso8601)
    }

    func testRFC5322DatesWithZones() {
        XCTAssertEqual(date("Mon, 23 Nov 2026 10:00:00 +0100"), "2026-11-23T09:00:00Z")
        XCTAssertEqual(date("Thu, 13 Feb 1969 23:32:54 -0330"), "1969-02-14T03:02:54Z")
        XCTAssertEqual(date("Sun, 30 Aug 2015 16:56:02 +0200 (CEST)"), "2015-08-30T14:56:02Z")
    }

    func testCommonBrokenForms() {
        XCTAssertEqual(date("23 Nov 2026 10:00 GMT"), "2026-11-23T10:00:00Z", "no weekday, no seconds")
        XCTAssertEqual(date("Mon, 23 Nov 26 10:00:00 EST"), "2026-11-23T15:00:00Z", "two-digit year, zone name")
        XCTAssertEqual(date("Mon Nov 23 10:00:00 2026"), "2026-11-23T10:00:00Z", "asctime order, no zone")
        XCTAssertEqual(date("2026-11-23T10:00:00Z"), "2026-11-23T10:00:00Z", "ISO 8601")
        XCTAssertEqual(date("Monday, 23-Nov-2026 10:00:00 +0000"), "2026-11-23T10:00:00Z", "dashed date")
        XCTAssertEqual(date("Mon, 23 November 2026 10:00:00 +0000"), "2026-11-23T10:00:00Z", "full month name")
    }

    func testAnUnparseableDateIsNilWithADefect() {
        let m = Sample.message("Date: Not a date\n\nx\n")
        XCTAssertNil(m.date)
        XCTAssertEqual(Sample.kinds(m), [.invalidDate])
        XCTAssertNil(date("32 Nov 2026 10:00:00 +0000"))
    }

    func testMessageIDsLoseTheirBracketsAndJunk() {
        let m = Sample.message("""
            Message-ID: <abc@example.com>
            In-Reply-To: <a@example.com> (comment) <b@example.com
            References: <r1@example.com>,<r2@example.com>  junk
             <r3@example.com> <r1@example.com>

            x

            """)
        XCTAssertEqual(m.messageID, "abc@example.com")
        XCTAssertEqual(m.inReplyTo, ["a@example.com", "b@example.com"])
        XCTAssertEqual(m.references, ["r1@example.com", "r2@example.com", "r3@example.com"])
    }

    func testMessageIDsWithoutBracketsAreKept() {
        let m = Sample.message("Message-ID: no-brackets@example.com\nIn-Reply-To: one@example.com two@example.com\n\nx\n")
        XCTAssertEqual(m.messageID, "no-brackets@example.com")
        XCTAssertEqual(m.inReplyTo, ["one@example.com", "two@example.com"])
    }

    func testAutoReplyAndListHeadersAreExposed() {
        let m = Sample.message("Auto-Submitted: Auto-Replied\nPrecedence: Bulk\nList-Id: Support <support.example.com>\n\nx\n")
        XCTAssertEqual(m.autoSubmitted, "auto-replied")
        XCTAssertEqual(m.precedence, "bulk")
        XCTAssertEqual(m.listID, "support.example.com")
    }
}
