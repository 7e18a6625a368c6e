@testable import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// What the intake sends when agents work by mail: the note address on agents' notices, an
/// agent's HTML reply relayed as HTML (images as related parts) with nothing of the notice her
/// client quoted, and canned answers with every placeholder.
final class AgentMailRelayTests: XCTestCase {
    static let keyHex = String(repeating: "ab", count: 32)
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var lines: LockedLines!
    var uid: Int64 = 0

    func makeDesk(extra: String = "") throws {
        clock = FakeClock()
        db = try Store.open(path: ":memory:", now: clock.unixSeconds())
        lines = LockedLines()
        let config = try Config.parse(Array("""
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "agent1@example.test", "name": "Alice Agent"}, {"email": "agent2@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"}],
             "ticket_url": "https://desk.example.test/t/{number}"\(extra)}
            """.utf8), file: "test.json")
        let log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { [lines] in lines!.append($0) })
        intake = Intake(db: db, config: config, clock: clock, log: log, signingKey: SigningKey(hex: Self.keyHex)!)
    }

    func deliver(_ text: String) throws {
        uid += 1
        _ = try intake.ingest(raw: Array(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8),
                              key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    func outbox(_ kind: String) throws -> [OutboxStore.Item] {
        try OutboxStore(db: db).due(now: Int64.max / 2).filter { $0.kind == kind }
    }

    func customerWrites() throws {
        try deliver("""
            From: Ann Example <ann@customer.test>
            To: support@example.test
            Subject: Printer jams
            Message-ID: <c1@customer.test>

            It jams on every page.
            """)
    }

    /// An agent's reply to her notice of ticket 1, in the shape Gmail sends: text and HTML, the
    /// HTML quoting the notice (with its note address and handle), an inline image.
    func agentReply(text: String, html: String, image: [UInt8] = []) -> String {
        let handle = AgentReplyHandle.header(keyHex: Self.keyHex, ticket: 1, agent: "agent1@example.test")
        return """
            From: agent1@example.test
            To: support@example.test
            Subject: Re: [#1] Printer jams
            Message-ID: <a1@example.test>
            \(handle)MIME-Version: 1.0
            Content-Type: multipart/related; boundary="rel"

            --rel
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain; charset=utf-8

            \(text)
            --alt
            Content-Type: text/html; charset=utf-8

            \(html)
            --alt--
            --rel
            Content-Type: image/png; name="chart.png"
            Content-Disposition: inline; filename="chart.png"
            Content-ID: <chart@agent>
            Content-Transfer-Encoding: base64

            \(Data(image).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]))
            --rel--
            """
    }

    static let quotedNotice = """
        <div class="gmail_quote"><div class="gmail_attr">On Mon, Support &lt;support@example.test&gt; wrote:</div>
        <blockquote class="gmail_quote">New ticket [#1] in queue support<br>It jams on every page.<br>--<br>
        Internal note to the other agents (never the customer): <a href="mailto:support+1-note@example.test">support+1-note@example.test</a>
        </blockquote></div>
        """

    func testAgentsNoticesNameTheNoteAddressWhenPlusAddressingIsOn() throws {
        try makeDesk(extra: #", "plus_addressing": true"#)
        try customerWrites()
        let notices = try outbox("new-ticket")
        XCTAssertEqual(notices.flatMap(\.recipients).sorted(), ["agent1@example.test", "agent2@example.test"])
        for notice in notices {
            let text = Message.parse(notice.raw).text ?? ""
            XCTAssertTrue(text.hasSuffix("Internal note to the other agents (never the customer): support+1-note@example.test"), text)
        }
        let ack = try XCTUnwrap(try outbox("ack").first)
        XCTAssertFalse(String(decoding: ack.raw, as: UTF8.self).contains("note@"), "the customer never sees it")

        // Off: the MTA may not deliver +detail, so no address is offered.
        try makeDesk()
        try customerWrites()
        XCTAssertFalse(try outbox("new-ticket").contains { String(decoding: $0.raw, as: UTF8.self).contains("-note@") })
    }

    func testAMailToTheNoteAddressFromTheProvenAgentIsANoteForTheOtherAgentsOnly() throws {
        try makeDesk(extra: #", "plus_addressing": true"#)
        try customerWrites()
        let handle = AgentReplyHandle.header(keyHex: Self.keyHex, ticket: 1, agent: "agent1@example.test")
        try deliver("From: agent1@example.test\nTo: support+1-note@example.test\nSubject: Re: [#1] Printer jams\nMessage-ID: <n1@example.test>\n\(handle)\nShe is on the VIP list.\n")
        let notes = try outbox("note")
        XCTAssertEqual(notes.flatMap(\.recipients), ["agent2@example.test"])
        XCTAssertTrue((Message.parse(notes[0].raw).text ?? "").contains("She is on the VIP list."))
        XCTAssertEqual(try outbox("reply").count + outbox("status-open").count, 0, "nothing to the customer")
        XCTAssertFalse(try OutboxStore(db: db).due(now: Int64.max / 2).contains { $0.recipients.contains("ann@customer.test") && $0.kind != "ack" })
    }

    func testAnAgentsHTMLReplyIsRelayedAsHTMLWithItsImageAndNothingOfTheQuotedNotice() throws {
        try makeDesk(extra: #", "plus_addressing": true"#)
        try customerWrites()
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        try deliver(agentReply(
            text: "#pending\nHello Ann,\nthe new driver fixes it. See the chart.\n\nOn Mon, Support <support@example.test> wrote:\n> New ticket [#1]\n> Internal note to the other agents (never the customer): support+1-note@example.test\n",
            html: """
                <html><head><style>b{}</style></head><body><div dir="ltr"><div>#pending</div><div>Hello Ann,</div>
                <div>the <b>new</b> driver fixes it. See the chart.</div><img src="cid:chart@agent" width="200"><script>x()</script></div>
                \(Self.quotedNotice)</body></html>
                """,
            image: png))
        let mail = try XCTUnwrap(try outbox("status-pending").first, "the status notice carries the reply")
        XCTAssertEqual(mail.recipients, ["ann@customer.test"])
        let raw = String(decoding: mail.raw, as: UTF8.self)
        let message = Message.parse(mail.raw)
        let html = try XCTUnwrap(message.html)
        XCTAssertTrue(html.contains("the <b>new</b> driver fixes it."), html)
        XCTAssertTrue(html.contains("<img src=\"cid:chart@agent\" width=\"200\">"), html)
        for leak in ["note@", "support+1", "pd.1.a.", "#pending", "Internal note", "<script", "gmail_quote", "New ticket"] {
            XCTAssertFalse(raw.contains(leak), "\(leak) leaked to the customer")
        }
        XCTAssertTrue(raw.contains("multipart/alternative") && raw.contains("multipart/related"), "text + HTML, the image related to the HTML")
        let image = try XCTUnwrap(message.attachments.first)
        XCTAssertEqual(image.data, png, "the image arrives byte for byte")
        XCTAssertEqual(image.contentID, "chart@agent")
        XCTAssertTrue(image.isInline)
        XCTAssertEqual(message.text?.contains("the new driver fixes it."), true, "the plain alternative is the agent's text")
        XCTAssertFalse(lines.all.contains { $0.contains("relay.html_not_kept") })
    }

    /// The relayed HTML in a real browser: the agent's words and formatting, nothing active.
    func testTheRelayedHTMLRendersInChromiumWithNothingActive() throws {
        try makeDesk()
        try customerWrites()
        try deliver(agentReply(
            text: "Hello Ann,\nthe driver is fixed.\n",
            html: """
                <body onload="document.title='PWNED'"><p>Hello <b>Ann</b>,</p><p>the driver is <i>fixed</i>.</p>
                <script>document.write('PWNED')</script><img src="x" onerror="document.write('PWNED')"></body>
                """))
        let mail = try XCTUnwrap(try outbox("status-open").first)
        let html = try XCTUnwrap(Message.parse(mail.raw).html)
        guard let chromium = HeadlessChromium.find() else {
            throw XCTSkip("chromium is not installed (apt install chromium): the relayed HTML was not rendered")
        }
        let dir = Fixtures.temporaryDirectory("relay-html")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("reply.html")
        try Data(html.utf8).write(to: file)
        let dom = try chromium.dumpDOM(file: file.path, in: dir)
        XCTAssertTrue(dom.contains("<p>Hello <b>Ann</b>,</p><p>the driver is <i>fixed</i>.</p>"), dom)
        XCTAssertFalse(dom.contains("PWNED"), dom)
        XCTAssertFalse(dom.contains("<script"), dom)
    }

    /// A notice with HTML (an override template) links the note address, its subject keeping the tag.
    func testAnHTMLNoticeLinksTheNoteAddress() throws {
        try makeDesk(extra: #", "plus_addressing": true"#)
        try customerWrites()
        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        let notifier = intake.router.notifier
        let rendered = notifier.withNoteAddress(RenderedNotification(subject: "Neues Ticket: Drücker", text: "Hallo\n",
                                                                     html: "<html><body><p>Hallo</p></body></html>"),
                                                ticket: ticket, language: "de")
        XCTAssertEqual(rendered.text, "Hallo\nInterne Notiz an die Kollegen (nie an den Kunden): support+1-note@example.test\n")
        let html = try XCTUnwrap(rendered.html)
        XCTAssertTrue(html.hasSuffix("</p>\n</body></html>"), html)
        XCTAssertTrue(html.contains("<a href=\"mailto:support+1-note@example.test?subject=Re%3A%20%5B%231-"), html)
        XCTAssertTrue(html.contains("%5D%20Neues%20Ticket%3A%20Dr%C3%BCcker\">support+1-note@example.test</a>"), html)
    }

    func testAnHTMLReplyShowingMoreThanItsTextFallsBackToTheText() throws {
        try makeDesk(extra: #", "plus_addressing": true"#)
        try customerWrites()
        // A client quoting without any marker we know: the text part is cut, the HTML is not.
        try deliver(agentReply(
            text: "Fixed now.\n\n-----Original Message-----\nFrom: Support\nInternal note: support+1-note@example.test\n",
            html: "<div>Fixed now.</div><div>-----Original Message-----<br>From: Support<br>Internal note: support+1-note@example.test</div>"))
        let mail = try XCTUnwrap(try outbox("status-open").first, "the first reply opens the ticket: the status notice carries it")
        let raw = String(decoding: mail.raw, as: UTF8.self)
        XCTAssertFalse(raw.contains("note@"), "nothing of the quote reaches the customer")
        XCTAssertTrue(Message.parse(mail.raw).html?.contains("Fixed now.") == true, "the template's HTML with the text")
        XCTAssertTrue(lines.all.contains { $0.contains("relay.html_not_kept") && $0.contains("HTML shows more than the text") }, lines.all.joined(separator: "\n"))
        XCTAssertEqual(Message.parse(mail.raw).attachments.first?.isInline, false, "the image goes as an attachment then")
    }

    func testAMacroFillsEveryPlaceholder() throws {
        let dir = Fixtures.temporaryDirectory("macros")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("""
            {{#customer.name}}Dear {{customer.name}},{{/customer.name}}
            {{ticket.tag}} "{{ticket.subject}}" is {{ticket.status}} ({{ticket.priority}}) in {{ticket.queue}}: {{ticket.url}}
            Written to {{customer.email}} by {{agent.name}}; reply within {{reopen.days}} days.{{#sla.due}} Due {{sla.due}}.{{/sla.due}}

            """.utf8).write(to: dir.appendingPathComponent("all.txt"))
        try makeDesk(extra: #", "macros_directory": "\#(dir.path)", "sla_policies": {"p": {"calendar": "24x7", "resolution": "8h"}}, "sla_defaults": {"*": "p"}"#)
        try customerWrites()
        let handle = AgentReplyHandle.header(keyHex: Self.keyHex, ticket: 1, agent: "agent1@example.test")
        try deliver("From: agent1@example.test\nTo: support@example.test\nSubject: Re: [#1] Printer jams\nMessage-ID: <m1@example.test>\n\(handle)\n#priority high\n#macro all\n")
        let mail = try XCTUnwrap(try outbox("status-open").first)
        let text = Message.parse(mail.raw).text ?? ""
        XCTAssertTrue(text.contains("Dear Ann Example,"), text)
        XCTAssertTrue(text.contains("[#1-"), "the tag with its token: \(text)")
        XCTAssertTrue(text.contains("] \"Printer jams\" is in progress (high) in support: https://desk.example.test/t/1"), text)
        XCTAssertTrue(text.contains("Written to ann@customer.test by Alice Agent; reply within 14 days."), text)
        let due = Date(timeIntervalSince1970: TimeInterval(clock.unixSeconds() + 8 * 3600))
        XCTAssertTrue(text.contains("Due \(LifecycleStep.dueText(due))."), "the resolution deadline: \(text)")
        XCTAssertFalse(text.contains("{{"), text)
    }

    func testAMacroQuotingTheMessageIsRefusedAtLoad() throws {
        let dir = Fixtures.temporaryDirectory("macros")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("See below:\n{{message.text}}\n".utf8).write(to: dir.appendingPathComponent("echo.txt"))
        XCTAssertThrowsError(try Config.parse(Array(#"{"macros_directory": "\#(dir.path)"}"#.utf8), file: "c.json")) { error in
            XCTAssertEqual("\(error)", "\(dir.appendingPathComponent("echo.txt").path): {{message.text}} cannot be used in a macro (the macro is the message text)")
        }
        try Data("Hi {{custmer.name}}\n".utf8).write(to: dir.appendingPathComponent("echo.txt"))
        XCTAssertThrowsError(try Config.parse(Array(#"{"macros_directory": "\#(dir.path)"}"#.utf8), file: "c.json")) { error in
            XCTAssertTrue("\(error)".contains("line 1: unknown placeholder {{custmer.name}}"), "\(error)")
        }
    }
}
