import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk search` as a user runs it: tickets with a marked snippet, JSON, filters, and a
/// clear exit 65 for a query it cannot read.
final class SearchCommandTests: XCTestCase {
    var directory: URL!
    var dbPath: String { directory.appendingPathComponent("postdesk.db").path }

    override func setUpWithError() throws {
        directory = Fixtures.temporaryDirectory("cli-search")
        let db = try Store.open(path: dbPath, now: 0)
        let store = TicketStore(db: db)
        let mails = [("Принтер не печатает", "ann@a.test", "Здравствуйте! Принтер в бухгалтерии снова не печатает.", TicketStatus.open),
                     ("Größe der Übersicht", "bob@b.test", "Die Übersicht ist zu klein.", .resolved)]
        for (i, (subject, from, body, status)) in mails.enumerated() {
            let at = Int64(1_795_000_000 + i * 3600)
            let t = try store.createTicket(subject: subject, requester: from, queue: "support", status: status, actor: from, now: at)
            let raw = Array("From: \(from)\r\nSubject: =?utf-8?b?\(Data(subject.utf8).base64EncodedString())?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n".utf8)
            let row = try store.addMessage(ticketID: t.id, direction: "in", messageID: nil, sha256: "s", raw: raw, fromAddress: from,
                                           subject: subject, sentAt: nil, decision: nil, now: at)
            try SearchIndex(db: db).add(messageRow: row, subject: subject, body: body, at: at)
        }
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func run(_ argv: [String]) -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(["--db", dbPath] + argv, io: captured.io(), clock: FakeClock())
        return (code, captured.out, captured.err)
    }

    func testFindsTheTicketAndShowsTheMatchedWordsInItsText() {
        let r = run(["search", "принтер"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("#1  open  2026-11-18 "), r.out)
        XCTAssertTrue(r.out.contains("message 1: **Принтер** не печатает") || r.out.contains("message 1: Здравствуйте! **Принтер** в бухгалтерии"), r.out)
        XCTAssertTrue(r.out.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.hasPrefix("    ") }, r.out)
    }

    func testJSONHasTheDocumentedKeys() throws {
        let r = run(["search", "ubersicht", "--json"])
        XCTAssertEqual(r.code, 0, r.err)
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.count, 1)
        XCTAssertEqual(items[0]["ticket"] as? Int, 2)
        XCTAssertEqual(items[0]["status"] as? String, "resolved")
        XCTAssertEqual(items[0]["subject"] as? String, "Größe der Übersicht")
        XCTAssertEqual(items[0]["message"] as? Int, 2)
        XCTAssertEqual(items[0]["at"] as? String, "2026-11-18T12:06:40Z")
        XCTAssertTrue((items[0]["snippet"] as? String ?? "").contains("**Übersicht**"), "\(items[0])")
    }

    func testFiltersAndNoMatch() {
        XCTAssertEqual(run(["search", "принтер", "--status", "resolved"]).out, "no tickets match\n")
        XCTAssertEqual(run(["search", "übersicht OR принтер", "--requester", "bob@b.test", "--json"]).code, 0)
        XCTAssertTrue(run(["search", "übersicht OR принтер", "--since", "2026-11-18T12:00"]).out.hasPrefix("#2 "))
        XCTAssertEqual(run(["search", "x", "--since", "yesterday"]).code, 64)
        XCTAssertEqual(run(["search", "x", "--status", "sleeping"]).code, 64)
    }

    func testAMalformedQueryExits65WithAClearMessage() {
        let r = run(["search", "\"unbalanced"])
        XCTAssertEqual(r.code, 65)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.hasPrefix("postdesk: search: cannot read the search query: "), r.err)
        XCTAssertFalse(r.err.contains("SQL") || r.err.contains("SELECT"), r.err)
    }
}
