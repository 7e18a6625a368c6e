@testable import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// House rule 1 inside a batch, now that the cursor is written once per batch and the nested
/// savepoints of createTicket/saveSLA are gone: a message that fails half-way rolls back alone,
/// and the cursor never moves back behind a quarantined message.
final class IntakeBatchAtomicityTests: XCTestCase {
    /// A message whose SLA save fails after its ticket row, its create event and its SLA policy
    /// row were written leaves no half of it behind; the messages before and after it are kept,
    /// the cursor stands past all three, and only stored mail is flagged.
    func testAMessageFailingHalfWayThroughItsWritesRollsBackAloneInABatch() throws {
        let clock = FakeClock()
        let config = try Config.parse(Array("""
            {"database": ":memory:",
             "mailboxes": [{"name": "support", "url": "imap://127.0.0.1:1143", "tls": "none", "user": "support",
                            "password_env": "X", "after_import": "seen"}],
             "queues": [{"name": "support", "address": "support@example.test"}],
             "sla_policies": {"p1": {"calendar": "24x7", "first_response": "1h", "resolution": "8h"}},
             "sla_defaults": {"*": "p1"}}
            """.utf8), file: "test.json")
        let db = try Store.open(path: ":memory:", now: 0)
        let log = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
        let intake = Intake(db: db, config: config, clock: clock, log: log)
        let box = FakeMailbox()
        for n in 1...3 { box.append(StoreFaultTests.mail(n, size: 300)) }
        let poller = Poller(mailbox: config.mailboxes[0], source: box, intake: intake, clock: clock, log: log, batchSize: 10)
        try db.execute("""
            CREATE TEMP TRIGGER refuse BEFORE INSERT ON ticket_sla
            WHEN (SELECT subject FROM tickets WHERE id = NEW.ticket_id) = 'Problem 2' BEGIN SELECT RAISE(ABORT, 'refused'); END
            """)
        let report = poller.poll()
        XCTAssertTrue(report.ok, report.error ?? "")
        func n(_ sql: String) throws -> Int64 { try db.row(sql)?[0].int ?? -1 }
        XCTAssertEqual(try n("SELECT COUNT(*) FROM quarantine"), 1)
        XCTAssertEqual(try db.query("SELECT subject FROM tickets ORDER BY number").map { $0.text("subject") }, ["Problem 1", "Problem 3"])
        XCTAssertEqual(try n("SELECT COUNT(*) FROM ticket_sla_policy"), 2, "no SLA policy row of the failed message")
        XCTAssertEqual(try n("SELECT COUNT(*) FROM ticket_events WHERE ticket_id NOT IN (SELECT id FROM tickets)"), 0)
        XCTAssertEqual(try n("SELECT COUNT(*) FROM ticket_metrics"), 2)
        XCTAssertEqual(try n("SELECT COUNT(*) FROM messages"), 2)
        XCTAssertEqual(try n("SELECT COUNT(*) FROM deliveries"), 3)
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 3)
        XCTAssertEqual(box.seenUIDs, [1, 2, 3])
    }

    /// A quarantined message that is the batch's LAST moves the cursor to its own UID; the
    /// deferred cursor of the kept ones before it must not move it back.
    func testAQuarantinedLastMessageKeepsTheCursorAtItsUID() throws {
        let (db, intake) = try MemoryIntake.make(config: #"{"queues": [{"name": "support", "address": "support@example.test"}]}"#)
        try intake.batch {
            for uid in 1...3 {
                _ = try intake.ingest(raw: StoreFaultTests.mail(uid, size: 300), key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: Int64(uid), action: "seen"))
            }
            XCTAssertEqual(try intake.ingest(raw: [0x00, 0xFF] + Array(repeating: 0x01, count: 64),
                                             key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: 4, action: "seen")).label, "quarantined")
        }
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 4)
    }
}
