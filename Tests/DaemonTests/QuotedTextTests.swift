@testable import Daemon
import XCTest

/// The three escaping dialects the daemon writes, byte for byte.
final class QuotedTextTests: XCTestCase {
    let hostile = "a\"b\\c\nd\re\tf\u{1B}[31mg\u{7F}h ü"

    func testLogValuesEscapeEveryControlAndDeleteAsHex() {
        XCTAssertEqual(Log.format(hostile), #""a\"b\\c\nd\re\tf\x1b[31mg\x7fh ü""#)
    }

    func testJSONStringsEscapeControlsAsUnicodeAndKeepDelete() {
        XCTAssertEqual(JSON.string(hostile).serialized(pretty: false), "\"a\\\"b\\\\c\\nd\\re\\tf\\u001b[31mg\u{7F}h ü\"")
    }

    func testPrometheusLabelsEscapeOnlyQuoteBackslashAndNewline() {
        XCTAssertEqual(Metrics.escapeLabel(hostile), "a\\\"b\\\\c\\nd\re\tf\u{1B}[31mg\u{7F}h ü")
    }
}
