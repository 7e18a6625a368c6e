import CLI
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk templates` and `postdesk outbox`, driven through argv.
final class NotificationCommandsTests: XCTestCase {
    var directory: URL!
    let clock = FakeClock()

    override func setUp() { directory = Fixtures.temporaryDirectory("cli-notify") }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    struct Result { let code: Int32; let out: String; let err: String }

    @discardableResult
    func run(_ argv: [String]) -> Result {
        let captured = CapturedOutput()
        let code = Postdesk.main(argv, io: captured.io(environment: [:]), clock: clock)
        return Result(code: code, out: captured.out, err: captured.err)
    }

    var dbPath: String { directory.appendingPathComponent("postdesk.db").path }

    func config(_ extra: String = "") throws -> String {
        let path = directory.appendingPathComponent("config.json").path
        try Data("""
            {"database": "\(dbPath)", "state_directory": "\(directory.path)",
             "smtp": {"url": "smtp://127.0.0.1:2525", "tls": "none", "from": "Support <support@desk.test>"}\(extra)}
            """.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: - templates

    func testCheckListsEveryEventAndLanguageWithTheFileUsed() throws {
        let r = run(["templates", "check", "--config", try config()])
        XCTAssertEqual(r.code, 0, r.err)
        let rows = r.out.split(separator: "\n").dropFirst().dropLast()
        XCTAssertEqual(rows.count, NotificationEvent.allCases.count * 4)
        XCTAssertTrue(rows.contains { $0.hasPrefix("status-resolved") && $0.contains(" ru ") && $0.contains("решённым") == false }, r.out)
        XCTAssertTrue(r.out.hasSuffix("\(NotificationEvent.allCases.count * 4) templates in 4 languages (de, en, ru, uk), 0 overridden: ok\n"), r.out)
    }

    func testCheckNamesABrokenOverrideAndExits78() throws {
        let templates = directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Data("Subject: x\n\nHallo {{customer.nmae}}\n".utf8).write(to: templates.appendingPathComponent("ack.de.txt"))
        let r = run(["templates", "check", "--config", try config(#", "notifications": {"templates": "\#(templates.path)"}"#)])
        XCTAssertEqual(r.code, 78)
        XCTAssertEqual(r.err, "postdesk: \(templates.path)/ack.de.txt: line 3: unknown placeholder {{customer.nmae}} (did you mean {{customer.name}}?)\n")
    }

    func testAnOverriddenLayoutRestylesTheShippedHTMLAndABrokenOneExits78() throws {
        let templates = directory.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let layout = templates.appendingPathComponent("_layout.html")
        try Data("""
            <html lang="{{$lang}}{{/lang}}">
            <head><title>{{$title}}{{/title}}</title></head>
            <body class="acme">
            {{$body}}
            {{/body}}
            </body>
            </html>

            """.utf8).write(to: layout)
        let cfg = try config(#", "notifications": {"templates": "\#(templates.path)"}"#)
        let check = run(["templates", "check", "--config", cfg])
        XCTAssertEqual(check.code, 0, check.err)
        XCTAssertTrue(check.out.contains("partials: _layout.html (\(layout.path))\n"), check.out)
        let show = run(["templates", "show", "ack", "--lang", "de", "--config", cfg])
        XCTAssertTrue(show.out.contains("<html lang=\"de\">\n<head><title>Eingegangen: Drucker im 3. Stock druckt leere Seiten</title></head>\n<body class=\"acme\">\n<p>Guten Tag"), show.out)

        // A layout must have every slot the templates fill: the shipped ones fill lang, title and body.
        try Data("<html>\n{{$body}}\n{{/body}}\n</html>\n".utf8).write(to: layout)
        let slotless = run(["templates", "check", "--config", cfg])
        XCTAssertEqual(slotless.code, 78)
        XCTAssertTrue(slotless.err.contains("{{< layout}} has no slot {{$lang}} (its slots: {{$body}}; \(layout.path))"), slotless.err)

        try Data("<html>\n{{$body}}\n{{/body}}\n<p>\n</html>\n".utf8).write(to: layout)
        let broken = run(["templates", "check", "--config", cfg])
        XCTAssertEqual(broken.code, 78)
        XCTAssertEqual(broken.err, "postdesk: \(layout.path): line 5: </html> does not match <p> opened on line 4\n")
    }

    func testShowPrintsTheSampleMailInTheLanguageAsked() throws {
        let r = run(["templates", "show", "status-resolved", "--lang", "ru", "--config", try config()])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("Subject: [#1234-k7f3q]\n =?UTF-8?B?"), "headers as they go: \(r.out)")
        XCTAssertTrue(r.out.contains("Мы считаем ваше обращение [#1234-k7f3q] решённым"), r.out)
        XCTAssertTrue(r.out.contains("----- text/html -----"), r.out)
        XCTAssertEqual(run(["templates", "show", "acknowledge", "--config", try config()]).code, 64)
        XCTAssertEqual(run(["templates", "show", "ack", "--lang", "Russian", "--config", try config()]).code, 64)
    }

    func testShowRendersARealTicket() throws {
        let cfg = try config()
        let tickets = TicketStore(db: try Store.open(path: dbPath, now: clock.unixSeconds()))
        let ticket = try tickets.createTicket(subject: "Drucker kaputt", requester: "jo@customer.test", queue: "support", actor: "jo@customer.test", now: clock.unixSeconds())
        let r = run(["templates", "show", "ack", "--ticket", String(ticket.number), "--lang", "de", "--config", cfg])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("To: <jo@customer.test>"), r.out)
        XCTAssertTrue(r.out.contains("Drucker kaputt"), r.out)
        XCTAssertTrue(r.out.contains("vielen Dank für Ihre Nachricht"), r.out)
        XCTAssertEqual(run(["templates", "show", "ack", "--ticket", "999", "--config", cfg]).code, 66)
    }

    // MARK: - outbox

    func seedOutbox() throws -> OutboxStore {
        let outbox = OutboxStore(db: try Store.open(path: dbPath, now: clock.unixSeconds()))
        for n in 1...3 {
            try outbox.enqueue(ticketID: nil, messageRow: nil, kind: "ack", mailFrom: "support@desk.test", recipients: ["c\(n)@x.test"],
                               raw: Array("Subject: \(n)\r\n\r\nhi\r\n".utf8), now: clock.unixSeconds())
        }
        try outbox.markSent(1, now: clock.unixSeconds(), refused: ["bad@x.test 550 5.1.1 no such user"])
        try outbox.markFailed(2, error: "550 5.7.1 rejected")
        return outbox
    }

    func testListShowsEveryRowAndFilters() throws {
        _ = try seedOutbox()
        let all = run(["outbox", "--db", dbPath])
        XCTAssertEqual(all.code, 0, all.err)
        XCTAssertEqual(all.out.split(separator: "\n").count, 4, all.out)
        XCTAssertTrue(all.out.contains("550 5.7.1 rejected"), all.out)
        XCTAssertEqual(run(["outbox", "--failed", "--db", dbPath]).out.split(separator: "\n").count, 2)
        XCTAssertEqual(run(["outbox", "--pending", "--db", dbPath]).out.split(separator: "\n").count, 2)
        XCTAssertEqual(run(["outbox", "--pending", "--failed", "--db", dbPath]).code, 64)
        let json = run(["outbox", "--json", "--db", dbPath]).out
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.map { $0["state"] as? String }, ["pending", "failed", "sent"])
        XCTAssertEqual(array[2]["refused"] as? [String], ["bad@x.test 550 5.1.1 no such user"])
    }

    func testShowRetryAndDrop() throws {
        let outbox = try seedOutbox()
        let show = run(["outbox", "show", "1", "--db", dbPath])
        XCTAssertTrue(show.out.contains("refused:     bad@x.test 550 5.1.1 no such user"), show.out)
        XCTAssertEqual(run(["outbox", "show", "9", "--db", dbPath]).code, 66)
        XCTAssertEqual(run(["outbox", "retry", "1", "--db", dbPath]).code, 65, "a sent row is never sent twice")
        XCTAssertEqual(run(["outbox", "retry", "2", "--db", dbPath]).code, 0)
        XCTAssertEqual(try outbox.entry(2)?.state, "pending")
        XCTAssertEqual(run(["outbox", "drop", "3", "--db", dbPath]).code, 64, "needs --yes")
        XCTAssertEqual(run(["outbox", "drop", "3", "--yes", "--db", dbPath]).code, 0)
        XCTAssertEqual(try outbox.entry(3)?.state, "dropped")
        XCTAssertEqual(run(["outbox", "retry", "--all", "--db", dbPath]).out, "no failed rows\n", "dropped rows stay dropped")
        XCTAssertEqual(run(["outbox", "retry", "3", "--db", dbPath]).code, 0, "unless named")
        XCTAssertEqual(try outbox.entry(3)?.state, "pending")
    }
}
