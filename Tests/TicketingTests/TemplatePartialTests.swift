import XCTest
@testable import Ticketing

/// Partials: `{{> name}}` inserts one, `{{< name}}…{{/name}}` wraps a template in a layout whose
/// `{{$slot}}…{{/slot}}` places the template fills. Resolved when the templates load, so the
/// template holds only text, values and blocks, and a broken one is a load error naming its file.
final class TemplatePartialTests: XCTestCase {
    let values = TemplateValues([.ticketSubject: "Printer <HP-3>", .agentName: "Alice", .customerName: "Anna"])

    static let layout = TemplateSet.File(text: """
        <html lang="{{$lang}}en{{/lang}}">
        <title>{{$title}}{{ticket.subject}}{{/title}}</title>
        <body>
        {{$body}}
        {{/body}}
        </body>
        </html>

        """, origin: "_layout.html")
    let partials = ["layout": layout, "signature": TemplateSet.File(text: "<p>-- {{#agent}}{{agent.name}}, {{/agent}}Support</p>\n", origin: "_signature.html")]

    func parse(_ source: String, file: String = "ack.en.html") throws -> Template {
        try Template.parse(source, file: file, partials: partials)
    }

    func reason(_ source: String, partials: [String: TemplateSet.File]? = nil) -> String {
        do { _ = try Template.parse(source, file: "t.html", partials: partials ?? self.partials); return "parsed" } catch { return "\(error)" }
    }

    func testALayoutRendersAsTheSameTextWrittenOutByteForByte() throws {
        let filled = try parse("""
            {{< layout}}
            {{$lang}}de{{/lang}}
            {{$title}}Eingegangen: {{ticket.subject}}{{/title}}
            {{$body}}
            <p>Guten Tag {{customer.name}},</p>
            {{#agent}}
            <p>{{agent.name}} kümmert sich darum.</p>
            {{/agent}}
            {{/body}}
            {{/layout}}

            """)
        let written = try parse("""
            <html lang="de">
            <title>Eingegangen: {{ticket.subject}}</title>
            <body>
            <p>Guten Tag {{customer.name}},</p>
            {{#agent}}
            <p>{{agent.name}} kümmert sich darum.</p>
            {{/agent}}
            </body>
            </html>

            """)
        for v in [values, TemplateValues([.ticketSubject: "x & y"]), TemplateValues()] {
            XCTAssertEqual(filled.render(v, for: .html), written.render(v, for: .html))
            XCTAssertEqual(filled.render(v, for: .plain), written.render(v, for: .plain))
        }
        XCTAssertEqual(filled.placeholders, [.ticketSubject, .customerName, .agentName])
    }

    func testASlotTheTemplateDoesNotFillKeepsTheLayoutsText() throws {
        let t = try parse("{{< layout}}\n{{$body}}\n<p>Hi</p>\n{{/body}}\n{{/layout}}\n")
        XCTAssertEqual(t.render(values, for: .html), "<html lang=\"en\">\n<title>Printer &lt;HP-3&gt;</title>\n<body>\n<p>Hi</p>\n</body>\n</html>\n")
    }

    func testAnIncludeInsertsThePartialWhereItStands() throws {
        let t = try parse("<p>Hello</p>\n{{> signature}}\n<p>PS</p>\n")
        XCTAssertEqual(t.render(values, for: .html), "<p>Hello</p>\n<p>-- Alice, Support</p>\n<p>PS</p>\n")
        XCTAssertEqual(t.render(TemplateValues(), for: .html), "<p>Hello</p>\n<p>-- Support</p>\n<p>PS</p>\n")
        let inBody = try parse("{{< layout}}\n{{$body}}\n{{> signature}}\n{{/body}}\n{{/layout}}\n")
        XCTAssertTrue(inBody.render(values, for: .html).contains("<body>\n<p>-- Alice, Support</p>\n</body>"))
    }

    func testMistakesAreErrorsNamingTheFileAndLine() {
        XCTAssertEqual(reason("x\n{{> signatur}}"), "t.html:2: unknown partial {{> signatur}} (known: layout, signature)")
        XCTAssertEqual(reason("{{> layout}}", partials: [:]), "t.html:1: unknown partial {{> layout}} (no partials here)")
        XCTAssertEqual(reason("{{< layout}}\n{{$bdy}}x{{/bdy}}\n{{/layout}}"),
                       "t.html:1: {{< layout}} has no slot {{$bdy}} (its slots: {{$body}}, {{$lang}}, {{$title}}; _layout.html)")
        XCTAssertEqual(reason("{{< layout}}\n<p>stray</p>\n{{/layout}}"),
                       "t.html:2: only {{$slot}}…{{/slot}} blocks and blank lines may stand inside {{< layout}}")
        XCTAssertEqual(reason("{{< layout}}\n{{$body}}x{{/body}}\n{{$body}}y{{/body}}\n{{/layout}}"), "t.html:3: {{$body}} is filled twice")
        XCTAssertEqual(reason("{{< layout}}\n{{$body}}x{{/body}}\n"), "t.html:1: block {{< layout}} opened on line 1 is never closed")
        XCTAssertEqual(reason("{{< layout}}\n{{$body}}x{{/layout}}"), "t.html:2: {{/layout}} does not match {{$body}} opened on line 2")
        XCTAssertEqual(reason("{{$Body}}x{{/Body}}"), "t.html:1: a slot name is lowercase letters, digits and dashes: {{$Body}}")
        // Inside the partial: its own file and line.
        let broken = ["layout": TemplateSet.File(text: "<p>\n{{ticket.subjekt}}</p>", origin: "/etc/postdesk/templates/_layout.html")]
        XCTAssertTrue(reason("{{> layout}}", partials: broken).hasPrefix("/etc/postdesk/templates/_layout.html:2: unknown placeholder {{ticket.subjekt}}"),
                      reason("{{> layout}}", partials: broken))
        let loop = ["a": TemplateSet.File(text: "{{> b}}", origin: "_a.html"), "b": TemplateSet.File(text: "x{{> a}}", origin: "_b.html")]
        XCTAssertEqual(reason("{{> a}}", partials: loop), "_b.html:1: partial {{> a}} uses itself: a → b → a")
    }

    func testPartialFileNames() {
        XCTAssertEqual(TemplatePartial.parseName("_layout.html")?.name, "layout")
        XCTAssertNil(TemplatePartial.parseName("_layout.html")?.language)
        XCTAssertEqual(TemplatePartial.parseName("_signature.de.txt")?.language, "de")
        XCTAssertEqual(TemplatePartial.parseName("_signature.de.txt")?.ext, "txt")
        for bad in ["layout.html", "_Layout.html", "_layout.htm", "_.html", "_a.b.c.html", "_a.DE.txt", "_a b.html"] {
            XCTAssertNil(TemplatePartial.parseName(bad), bad)
        }
    }
}
