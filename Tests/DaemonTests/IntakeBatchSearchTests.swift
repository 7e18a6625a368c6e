import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// A batch's messages reach the search index at the end of their savepoints, several at a
/// time, in the batch's transaction: kept messages are found, a quarantined one and a batch
/// rolled back leave nothing behind.
final class IntakeBatchSearchTests: XCTestCase {
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    override func setUp() {
        (db, intake) = try! MemoryIntake.make(config: """
            {"queues": [{"name": "support", "address": "support@example.test"}]}
            """)
    }

    func mail(_ n: Int, word: String) -> [UInt8] {
        Array("From: C\(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nSubject: Order \(n)\r\nMessage-ID: <b\(n)@customer.test>\r\n\r\n\(word) \(n)\r\n".utf8)
    }

    @discardableResult
    func ingest(_ raw: [UInt8]) throws -> IntakeOutcome {
        uid += 1
        return try intake.ingest(raw: raw, key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    func found(_ word: String) throws -> Int {
        try SearchIndex(db: db).search(SearchRequest(query: SearchQuery.fts(word), limit: 1000, order: .newest)).count
    }

    func testEveryKeptMessageOfABatchIsFoundAndAQuarantinedOneLeavesNoWords() throws {
        try intake.batch {
            for n in 1...150 { try ingest(mail(n, word: "zanzibarite")) }
            // Not mail at all: quarantined in the middle of the batch.
            XCTAssertEqual(try ingest([0x00, 0xFF, 0x01, 0x02] + Array(repeating: 0x03, count: 64)).label, "quarantined")
            for n in 151...200 { try ingest(mail(n, word: "zanzibarite")) }
        }
        XCTAssertEqual(try found("zanzibarite"), 200)
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM search_documents")!.int("n"), 200)
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM quarantine")!.int("n"), 1)
    }

    func testABatchRolledBackLeavesNoWordsAndTheNextIndexesAsUsual() throws {
        struct Failure: Error {}
        XCTAssertThrowsError(try intake.batch {
            for n in 1...100 { try ingest(mail(n, word: "quokka")) }
            throw Failure()
        })
        XCTAssertEqual(try found("quokka"), 0)
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM messages")!.int("n"), 0)
        // Outside a batch each message is indexed in its own transaction, as before.
        try ingest(mail(1, word: "quokka"))
        XCTAssertEqual(try found("quokka"), 1)
    }
}
