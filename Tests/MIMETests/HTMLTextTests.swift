import MIME
import XCTest

/// HTML bodies turned into readable text.
final class HTMLTextTests: XCTestCase {
    func text(_ html: String) -> String? {
        Sample.message("Content-Type: text/html; charset=utf-8\n\n\(html)").text
    }

    func testParagraphsAndLineBreaks() {
        XCTAssertEqual(text("<p>one</p><p>two<br>three</p>"), "one\n\ntwo\nthree")
    }

    func testWhitespaceCollapsesOutsidePre() {
        XCTAssertEqual(text("<div>a\n   b\t c</div><pre>x  y\n  z</pre>"), "a b c\nx  y\n  z")
    }

    func testListsBecomeDashItems() {
        XCTAssertEqual(text("<ul><li>one</li><li>two</li></ul>"), "- one\n- two")
    }

    func testLinksKeepTheirTargetAsText() {
        XCTAssertEqual(text("see <a href=\"https://example.com/o/42\">your order</a>."), "see your order (https://example.com/o/42).")
        XCTAssertEqual(text("<a href=\"https://example.com\">https://example.com</a>"), "https://example.com")
        XCTAssertEqual(text("<a href=\"mailto:a@example.com\">a@example.com</a>"), "a@example.com")
    }

    func testEntitiesDecode() {
        XCTAssertEqual(text("Tom &amp; Jerry &lt;3 &euro;5 &#8364;&#x41; caf&eacute;&nbsp;!"), "Tom & Jerry <3 €5 €A café !")
    }

    func testStyleScriptHeadAndCommentsAreDropped() {
        XCTAssertEqual(text("<html><head><title>T</title><style>p{}</style></head><body><script>alert(1)</script><!-- hidden -->shown</body></html>"), "shown")
    }

    func testBlockquotesBecomeQuotedLinesThatReplyTextDrops() {
        let m = Sample.message("Content-Type: text/html\n\n<div>Thanks!</div><div>On Mon, Support wrote:</div><blockquote>old text</blockquote>")
        XCTAssertEqual(m.text, "Thanks!\nOn Mon, Support wrote:\n> old text")
        XCTAssertEqual(m.replyText, "Thanks!")
    }

    func testBrokenMarkupNeverFails() {
        XCTAssertEqual(text("<p>unclosed <b>bold <a href='x'>link"), "unclosed bold link (x)")
        XCTAssertEqual(text("a < b and c > d <"), "a < b and c > d <")
    }
}
