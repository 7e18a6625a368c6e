import XCTest
@testable import Ticketing

final class HTMLWellFormednessTests: XCTestCase {
    func reason(_ html: String) -> String? {
        do { try HTMLWellFormedness.check(html, file: "ack.de.html"); return nil } catch { return "\(error)" }
    }

    func testAcceptsADocumentWithVoidElementsEntitiesCommentsAndStyle() {
        XCTAssertNil(reason("""
            <!DOCTYPE html>
            <html lang="de"><head><meta charset="utf-8"><title>A & B</title>
            <style>p > a { color: red }</style></head>
            <body><!-- a <comment> --><p class='x' hidden>Hallo&nbsp;{{customer.name}} &amp; &#169; &#x2014;<br><br/>
            <img src="a.png" alt="">{{#ticket.url}}<a href="{{ticket.url}}">Link</a>{{/ticket.url}}</p></body></html>
            """))
    }

    func testRefusesUnclosedAndMisnestedElementsNamingTheLine() {
        XCTAssertEqual(reason("<p>\n<b>x</p>"), "ack.de.html:2: </p> does not match <b> opened on line 2")
        XCTAssertEqual(reason("<div>\n<p>x</p>\n"), "ack.de.html:1: <div> opened here is never closed")
        XCTAssertEqual(reason("x</p>"), "ack.de.html:1: </p> closes nothing")
        XCTAssertEqual(reason("<br></br>"), "ack.de.html:1: </br> closes a void element")
        XCTAssertEqual(reason("<div/>"), "ack.de.html:1: <div/> must be written <div></div>")
    }

    func testRefusesBareAmpersandsAndAngleBracketsAndUnquotedAttributes() {
        XCTAssertEqual(reason("<p>A & B</p>"), "ack.de.html:1: a bare \"&\" (write &amp;)")
        XCTAssertEqual(reason("<p>1 < 2</p>"), "ack.de.html:1: a bare \"<\" (write &lt;)")
        XCTAssertEqual(reason("<p\nclass=x>y</p>"), "ack.de.html:2: <p> attribute class needs a quoted value")
        XCTAssertEqual(reason("<p a=\"1\" a=\"2\">y</p>"), "ack.de.html:1: <p> repeats the attribute a")
        XCTAssertNotNil(reason("<p title=\"x>y</p>"))
        XCTAssertEqual(reason("<!-- x"), "ack.de.html:1: comment is never closed")
    }

    /// An agent's reply relayed as HTML takes the place of `{{message.text}}`: it may stand in
    /// element content only, never in an attribute or a raw-text element; other values are
    /// escaped and safe in quoted attributes.
    func testTheRelayedReplyPlaceholderStandsOnlyInElementContent() {
        XCTAssertNil(reason("<div class=\"reply\">{{message.text}}</div>"))
        XCTAssertNil(reason("<a href=\"{{ticket.url}}\" title=\"{{ticket.subject}}\">x</a><title>{{ticket.subject}}</title>"))
        XCTAssertEqual(reason("<p>\n<a title=\"Re: {{message.text}}\">x</a></p>"),
                       "ack.de.html:2: {{message.text}} in <a> attribute title: it may stand only in element content "
                       + "(a reply relayed as HTML would be spliced into the attribute)")
        XCTAssertEqual(reason("<img alt='{{ message.text }}'>"),
                       "ack.de.html:1: {{message.text}} in <img> attribute alt: it may stand only in element content "
                       + "(a reply relayed as HTML would be spliced into the attribute)")
        XCTAssertEqual(reason("<title>{{message.text}}</title>"),
                       "ack.de.html:1: {{message.text}} in <title>: it may stand only in element content (a reply relayed as HTML would be spliced in)")
    }

    /// A reply relayed into a comment would end it at its first `-->`: what came before is
    /// hidden and the rest renders out of place. Other values are escaped (`>` too), so safe there.
    func testTheRelayedReplyPlaceholderMayNotStandInACommentOrTheDoctype() {
        XCTAssertNil(reason("<!-- {{ticket.subject}} --><p>{{message.text}}</p>"))
        XCTAssertEqual(reason("<p>x</p>\n<!-- the reply:\n{{message.text}} -->\n<p>y</p>"),
                       "ack.de.html:3: {{message.text}} in an HTML comment: it may stand only in element content "
                       + "(a reply relayed as HTML would end the comment at its first \"-->\")")
        XCTAssertEqual(reason("<!--{{ message.text }}-->"),
                       "ack.de.html:1: {{message.text}} in an HTML comment: it may stand only in element content "
                       + "(a reply relayed as HTML would end the comment at its first \"-->\")")
        XCTAssertEqual(reason("<!DOCTYPE html {{message.text}}>\n<p>x</p>"),
                       "ack.de.html:1: {{message.text}} in <!DOCTYPE>: it may stand only in element content (a reply relayed as HTML would be spliced in)")
        XCTAssertEqual(reason("<p>x</p>\n<!-- {{message.text}}"), "ack.de.html:2: comment is never closed")
    }

    /// Every element whose content a browser reads as text ends at its first closing tag, so a
    /// relayed reply may not stand in one; `plaintext` never ends at all.
    func testTheRelayedReplyPlaceholderMayNotStandInAnyRawTextElement() {
        for tag in ["textarea", "xmp", "noembed", "noframes", "noscript"] {
            XCTAssertNil(reason("<\(tag)>{{ticket.subject}}</\(tag)><p>{{message.text}}</p>"), tag)
            XCTAssertEqual(reason("<p>x</p>\n<\(tag)>{{message.text}}</\(tag)>"),
                           "ack.de.html:2: {{message.text}} in <\(tag)>: it may stand only in element content (a reply relayed as HTML would be spliced in)")
        }
        XCTAssertEqual(reason("<p>x</p>\n<plaintext>"), "ack.de.html:2: <plaintext> is not allowed in mail")
    }

    func testRefusesScripts() {
        XCTAssertEqual(reason("<p>x</p>\n<script>alert(1)</script>"), "ack.de.html:2: <script> is not allowed in mail")
    }

    func testBlocksMustNotCutThroughElements() {
        XCTAssertEqual(reason("{{#agent}}<p>\n{{/agent}}</p>"),
                       "ack.de.html:2: {{/agent}} ends the block while <p> opened on line 1 is still open")
        XCTAssertEqual(reason("<p>{{#agent}}x</p>{{/agent}}"),
                       "ack.de.html:1: </p> closes an element opened outside the block {{#agent}} of line 1")
        XCTAssertEqual(reason("<p>x</p>\n{{#agent}}"), "ack.de.html:2: block {{#agent}} is never closed")
    }
}
