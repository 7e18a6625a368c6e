import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// The intake indexes what people wrote in the message's own transaction; quoted history is
/// not indexed again with each reply.
final class SearchIntakeTests: XCTestCase {
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    override func setUp() {
        (db, intake) = try! MemoryIntake.make(config: """
            {"agents": [{"email": "agent1@example.test"}], "queues": [{"name": "support", "address": "support@example.test"}]}
            """)
    }

    @discardableResult
    func deliver(subject: String, id: String, body: String, headers: String = "") throws -> IntakeOutcome {
        uid += 1
        let text = "From: Ann <ann@customer.test>\nTo: support@example.test\nSubject: \(subject)\nMessage-ID: <\(id)>\n"
            + "Content-Type: text/plain; charset=utf-8\n\(headers)\n\(body)\n"
        return try intake.ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                                 key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    func search(_ q: String) throws -> [SearchHit] {
        try SearchIndex(db: db).search(SearchRequest(query: SearchQuery.fts(q), order: .newest))
    }

    func testAnImportedMessageIsSearchableAtOnce() throws {
        try deliver(subject: "Принтер сломался", id: "p1@customer.test", body: "Принтер в бухгалтерии не печатает.")
        XCTAssertEqual(try search("принтер").map(\.ticketNumber), [1])
        XCTAssertEqual(try search("бухгалтерии").first?.messageRow, 1)
        XCTAssertEqual(try search("сломался").count, 1, "the subject is indexed")
    }

    func testAReplyIsIndexedWithoutTheHistoryItQuotes() throws {
        try deliver(subject: "Kettle", id: "k1@customer.test", body: "The kettle leaks.")
        try deliver(subject: "Re: [#1] Kettle", id: "k2@customer.test", body: "Still broken, now it sparks.\n\nOn Mon, Ann wrote:\n> The kettle leaks.",
                    headers: "In-Reply-To: <k1@customer.test>\n")
        let leaks = try search("leaks")
        XCTAssertEqual(leaks.map(\.messageRow), [1], "only the message that said it")
        XCTAssertEqual(try search("sparks").first?.ticketNumber, 1)
    }

    func testAQuarantinedMessageLeavesNoIndexEntry() throws {
        let outcome = try intake.ingest(raw: Array("\u{0}\u{1}garbage sparks".utf8), key: nil)
        guard case .quarantined = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM search_documents")?.int("n"), 0)
    }
}
