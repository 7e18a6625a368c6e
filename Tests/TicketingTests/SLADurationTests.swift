import XCTest
@testable import Ticketing

final class SLADurationTests: XCTestCase {
    func testDurationsAsConfigWritesThem() throws {
        XCTAssertEqual(try SLADuration.parse("4h").seconds, 4 * 3600)
        XCTAssertEqual(try SLADuration.parse("90m").seconds, 90 * 60)
        XCTAssertEqual(try SLADuration.parse("1h30m").seconds, 90 * 60)
        XCTAssertEqual(try SLADuration.parse("2d"), SLADuration(seconds: 2 * 86_400, hasDays: true))
        XCTAssertEqual(try SLADuration.parse("1d12h").description, "1d12h")
        XCTAssertEqual(try SLADuration.parse("90m").description, "1h30m")
    }

    func testBadDurationsSayWhatIsExpected() {
        for bad in ["", "4", "h", "4x", "30m1h", "1h1h", "-1h", "4 hours", "1.5h"] {
            XCTAssertThrowsError(try SLADuration.parse(bad), bad) { error in
                XCTAssertEqual((error as? CalendarParseError)?.reason, "\"\(bad)\" is not a duration like 4h, 90m, 1h30m or 2d", bad)
            }
        }
        XCTAssertEqual((try? SLADuration.parse("0m")).map(\.seconds), nil)
    }

    func testSpansInWords() {
        XCTAssertEqual(SLADuration.words(4800), "1h 20m")
        XCTAssertEqual(SLADuration.words(-90_000), "1d 1h")
        XCTAssertEqual(SLADuration.words(42), "42s")
    }
}
