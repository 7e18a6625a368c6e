import MIME
import XCTest

/// The new part of an agent's HTML reply: what the customer may see of it, and nothing of what
/// her client quoted below (the agent's notice: handles, the note address, internal notes).
final class HTMLReplyTests: XCTestCase {
    /// What a notice quoted by a client carries and the customer must never get.
    static let secrets = ["support+7-note@", "pd.7.a.", "support+7-a", "internal", "Reply to this mail to answer the customer"]

    func assertClean(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        for s in Self.secrets { XCTAssertFalse(html.lowercased().contains(s.lowercased()), "\(s) leaked: \(html)", file: file, line: line) }
        for s in ["<script", "onerror", "onclick", "javascript:", "<style", "<iframe", "http://tracker", "<head", "<body", "<html"] {
            XCTAssertFalse(html.lowercased().contains(s), "\(s) kept: \(html)", file: file, line: line)
        }
    }

    static let notice = """
        New ticket [#7] in queue support<br>Internal note: support+7-note@desk.example<br>
        <a href="mailto:support+7-note@desk.example">note</a> Message-ID pd.7.a.x1.y2.z3@desk.example<br>
        Reply to this mail to answer the customer.
        """

    func testEachClientsQuotedHistoryIsCutAway() {
        let quotes = [
            "gmail": "<div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, Support wrote:<br></div><blockquote class=\"gmail_quote\">\(Self.notice)</blockquote></div>",
            "outlook": "<div id=\"appendonsend\"></div><hr style=\"display:inline-block\"><div id=\"divRplyFwdMsg\" dir=\"ltr\"><b>From:</b> Support</div><div>\(Self.notice)</div>",
            "thunderbird": "<div class=\"moz-cite-prefix\">On 07.12.26 10:00, Support wrote:<br></div><blockquote type=\"cite\" cite=\"mid:x\">\(Self.notice)</blockquote>",
            "apple": "<div><br><blockquote type=\"cite\"><div>On 7 Dec 2026, at 10:00, Support wrote:</div>\(Self.notice)</blockquote></div>",
            "yahoo": "<div class=\"yahoo_quoted\" id=\"yahoo_quoted_123\">\(Self.notice)</div>",
            "outlook web": "<div id=\"mail-editor-reference-message-container\">\(Self.notice)</div>",
        ]
        for (client, quote) in quotes.sorted(by: { $0.key < $1.key }) {
            let html = "<html><head><style>p{}</style></head><body><div dir=\"ltr\">Hello Ann,<br>the <b>new</b> driver fixes it.</div>\(quote)</body></html>"
            let fragment = HTMLReply.sanitise(html)
            assertClean(fragment.html)
            XCTAssertEqual(HTMLReply.words(html: fragment.html), ["hello", "ann", "the", "new", "driver", "fixes", "it"], client)
            XCTAssertTrue(fragment.html.contains("<b>new</b>"), "\(client): formatting kept: \(fragment.html)")
        }
    }

    func testActiveContentAndForeignAttributesGo() {
        let html = """
            <body onload="steal()"><p style="color:red" onclick="x()">Dear <i>Ann</i>,</p>
            <script>alert(1)</script><img src="http://tracker.example/pixel.gif" onerror="x()">
            <img src="cid:chart@agent" alt="chart" width="300" height="200"><iframe src="https://evil.example"></iframe>
            <a href="javascript:alert(1)">click</a> <a href="https://example.com/faq?a=1&amp;b=2" target="_blank">FAQ</a>
            <form action="https://evil.example"><input name="card"><button>Pay</button></form>
            <table><tr><td colspan="2" bgcolor="red">cell</td></tr></table><unknown>kept text</unknown>
            """
        let fragment = HTMLReply.sanitise(html)
        assertClean(fragment.html)
        XCTAssertEqual(fragment.contentIDs, ["chart@agent"])
        XCTAssertTrue(fragment.html.contains("<img src=\"cid:chart@agent\" width=\"300\" height=\"200\">"), fragment.html)
        XCTAssertTrue(fragment.html.contains("<a>click</a>"), "a javascript: link loses its target: \(fragment.html)")
        XCTAssertTrue(fragment.html.contains("<a href=\"https://example.com/faq?a=1&amp;b=2\">FAQ</a>"), fragment.html)
        XCTAssertTrue(fragment.html.contains("<td colspan=\"2\">cell</td>"), fragment.html)
        XCTAssertTrue(fragment.html.contains("kept text"))
        XCTAssertFalse(fragment.html.contains("Pay"), "a form goes with its content")
        XCTAssertEqual(HTMLReply.links(fragment.html), ["https://example.com/faq?a=1&b=2"])
    }

    func testLeadingCommandLinesAreRemovedLikeInTheText() {
        let html = "<div>#pending</div><div>#priority high<br></div><div><br></div><div>Please send the log.</div><div>#not a command here</div>"
        let fragment = HTMLReply.sanitise(html, isCommand: { $0.hasPrefix("#") })
        XCTAssertEqual(HTMLReply.words(html: fragment.html), ["please", "send", "the", "log", "not", "a", "command", "here"])
    }

    func testUnbalancedMarkupIsClosedAndStrayBracketsEscaped() {
        let fragment = HTMLReply.sanitise("<p><b>bold <i>both</p> 1 < 2 </u> and 3 > 2")
        XCTAssertEqual(fragment.html, "<p><b>bold <i>both</i></b></p>1 &lt; 2 and 3 &gt; 2")
    }

    func testWhitespaceOfTheSourceCollapsesExceptInPre() {
        let fragment = HTMLReply.sanitise("<p>one\n   two</p>\n\n<pre>a\n  b</pre>")
        XCTAssertEqual(fragment.html, "<p>one two</p><pre>a\n  b</pre>")
    }

    func testHostileInputNeverCrashesAndNeverLeavesATag() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["<", ">", "</", "<!--", "-->", "<b", "<script>", "</script>", "<a href=\"", "\"", "<blockquote", "<img src=cid:", "&", "x", " ", "\n", "<p>", "</p>", "<body>", "</body>"]
        for _ in 0..<300 {
            let html = (0..<Int.random(in: 1...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let out = HTMLReply.sanitise(html).html
            XCTAssertFalse(out.lowercased().contains("<script"), html)
            XCTAssertFalse(out.lowercased().contains("<blockquote"), html)
        }
    }
}
