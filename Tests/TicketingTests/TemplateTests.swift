import XCTest
@testable import Ticketing

final class TemplateTests: XCTestCase {
    let values = TemplateValues([.ticketNumber: "12", .customerName: "Anna <b>&\"x\"", .agentName: "Alice",
                                 .ticketSubject: "Line one\r\nBcc: evil@example.com\tend"])

    func testPlaceholdersRenderTheirValuesAndMissingOnesRenderNothing() throws {
        let t = try Template.parse("Ticket {{ticket.number}} for {{ customer.name }}{{ticket.url}}.", file: "t")
        XCTAssertEqual(t.render(values, for: .plain), "Ticket 12 for Anna <b>&\"x\".")
        XCTAssertEqual(t.placeholders, [.ticketNumber, .customerName, .ticketURL])
    }

    func testHTMLContextEscapesEveryValue() throws {
        let t = try Template.parse("<p>{{customer.name}}</p>", file: "t")
        XCTAssertEqual(t.render(values, for: .html), "<p>Anna &lt;b&gt;&amp;&quot;x&quot;</p>")
    }

    func testHeaderContextNeverCarriesALineBreakFromAValue() throws {
        let t = try Template.parse("Re: {{ticket.subject}}", file: "t")
        let subject = t.render(values, for: .header)
        XCTAssertEqual(subject, "Re: Line one Bcc: evil@example.com end")
        XCTAssertFalse(subject.contains("\n") || subject.contains("\r"))
        XCTAssertEqual(Template.escape("a\u{2028}b\u{85}c", for: .header), "a b c")
    }

    func testBlocksShowWhenTheirPlaceholderOrGroupHasAValue() throws {
        let t = try Template.parse("A{{#agent}} by {{agent.name}}{{/agent}}{{#ticket.url}} at {{ticket.url}}{{/ticket.url}}.", file: "t")
        XCTAssertEqual(t.render(values, for: .plain), "A by Alice.")
        XCTAssertEqual(t.render(TemplateValues([.ticketURL: "u"]), for: .plain), "A at u.")
        XCTAssertEqual(t.render(TemplateValues([.agentName: ""]), for: .plain), "A.", "an empty value counts as absent")
    }

    func testABlockTagAloneOnItsLineTakesTheLineWithIt() throws {
        let t = try Template.parse("Hello,\n  {{#agent}}\nAgent: {{agent.name}}\n  {{/agent}}  \nBye\n", file: "t")
        XCTAssertEqual(t.render(values, for: .plain), "Hello,\nAgent: Alice\nBye\n")
        XCTAssertEqual(t.render(TemplateValues(), for: .plain), "Hello,\nBye\n")
    }

    func testUnknownPlaceholderIsAnErrorNamingFileLineAndPlaceholder() {
        XCTAssertThrowsError(try Template.parse("Hello\n\nTicket {{ticket.nmber}}", file: "ack.ru.txt")) { error in
            let e = error as! TemplateError
            XCTAssertEqual(e.line, 3)
            XCTAssertTrue("\(e)".hasPrefix("ack.ru.txt:3: unknown placeholder {{ticket.nmber}}"), "\(e)")
            XCTAssertTrue("\(e)".contains("did you mean {{ticket.number}}?"), "\(e)")
        }
        XCTAssertThrowsError(try Template.parse("{{ticket}}", file: "t"))
        XCTAssertThrowsError(try Template.parse("{{ticket.requester.password}}", file: "t"))
        XCTAssertThrowsError(try Template.parse("{{#ticket}}x{{/ticket}}", file: "t"), "ticket is not a block")
        XCTAssertThrowsError(try Template.parse("{{^agent}}x{{/agent}}", file: "t"), "no inverted blocks: nothing more")
        XCTAssertThrowsError(try Template.parse("{{{customer.name}}}", file: "t"), "no unescaped triple braces")
    }

    func testUnclosedAndMismatchedBlocksAreErrorsWithTheirLines() {
        func reason(_ s: String) -> String {
            do { _ = try Template.parse(s, file: "f"); return "parsed" } catch { return "\(error)" }
        }
        XCTAssertEqual(reason("a\n{{#agent}}\nb"), "f:2: block {{#agent}} opened on line 2 is never closed")
        XCTAssertEqual(reason("{{#agent}}\n{{#message}}x{{/agent}}{{/message}}"),
                       "f:2: {{/agent}} does not match {{#message}} opened on line 2")
        XCTAssertEqual(reason("x\n\n{{/agent}}"), "f:3: {{/agent}} closes no open block")
        XCTAssertEqual(reason("x {{ticket.number"), "f:1: \"{{\" is not closed by \"}}\" on the same line")
        XCTAssertEqual(reason("x {{ticket.\nnumber}}"), "f:1: \"{{\" is not closed by \"}}\" on the same line")
    }

    func testLiteralBracesThatAreNotTagsStayText() throws {
        let t = try Template.parse("a } b }} c { d", file: "t")
        XCTAssertEqual(t.render(values, for: .plain), "a } b }} c { d")
    }

    func testMessageTextIsClippedAtALineEndWithAMarker() {
        let long = String(repeating: "0123456789\n", count: 3000)
        let clipped = TemplateValues.clippedMessageText(long)
        XCTAssertLessThanOrEqual(clipped.count, TemplateValues.messageTextLimit + 4)
        XCTAssertTrue(clipped.hasSuffix("0123456789\n[…]"))
        XCTAssertEqual(TemplateValues.clippedMessageText("hi\r\nthere\r\n\r\n"), "hi\nthere")
    }
}
