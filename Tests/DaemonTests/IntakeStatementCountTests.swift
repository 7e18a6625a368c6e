import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// What one message costs the store thread in SQL statements, inside a batch: the intake is
/// bound by them (each is a few microseconds on one serial thread), so the count is part of
/// the design. A new ticket and a reply stay within a budget; bookkeeping that is the same for
/// every message of a batch (the mailbox cursor) is written once per batch.
final class IntakeStatementCountTests: XCTestCase {
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0
    var statements: [String] = []

    override func setUp() {
        (db, intake) = try! MemoryIntake.make(config: """
            {"queues": [{"name": "support", "address": "support@example.test"}]}
            """)
        db.onStatement = { [unowned self] sql in statements.append(sql) }
    }

    func mail(_ n: Int, inReplyTo: Int? = nil) -> [UInt8] {
        let reply = inReplyTo.map { "In-Reply-To: <m\($0)@customer.test>\r\n" } ?? ""
        return Array("""
            From: C\(n) <c\(n)@customer.test>\r\nTo: support@example.test\r\nCc: Other <o\(n)@customer.test>\r
            Subject: Order \(n)\r\nMessage-ID: <m\(n)@customer.test>\r\n\(reply)\r\nHello, order \(n) is late.\r\n
            """.utf8)
    }

    /// The statements `ingest` ran for one message of a batch.
    func statements(of raw: [UInt8]) throws -> [String] {
        uid += 1
        statements = []
        let outcome = try intake.ingest(raw: raw, key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
        XCTAssertEqual(outcome.label, "imported")
        return statements
    }

    func testANewTicketAndAReplyStayWithinTheirStatementBudgets() throws {
        var newTicket: [String] = [], reply: [String] = []
        try intake.batch {
            _ = try statements(of: mail(1))
            newTicket = try statements(of: mail(2))
            reply = try statements(of: mail(3, inReplyTo: 2))
        }
        // Session 3 ran 23 and 30 (a savepoint in the ticket insert and one in the SLA save, the
        // cursor read and written per message, a participant per statement, the ticket row read
        // five times while planning a reply).
        XCTAssertLessThanOrEqual(newTicket.count, 16, newTicket.joined(separator: "\n"))
        XCTAssertLessThanOrEqual(reply.count, 23, reply.joined(separator: "\n"))
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM tickets")!.int("n"), 2)
    }

    func testAMessageHasOneSavepointAndOneInsertForItsParticipants() throws {
        var all: [String] = []
        try intake.batch { all = try statements(of: mail(1)) }
        XCTAssertEqual(all.filter { $0.hasPrefix("SAVEPOINT") }.count, 1, all.joined(separator: "\n"))
        let participants = all.filter { $0.contains("INTO ticket_participants") }
        XCTAssertEqual(participants.count, 1)
        XCTAssertEqual(try TicketStore(db: db).participants(ticketID: 1).map(\.address).sorted(),
                       ["c1@customer.test", "o1@customer.test"])
    }

    func testPlanningAReplyReadsItsTicketOnce() throws {
        var reply: [String] = []
        try intake.batch {
            _ = try statements(of: mail(1))
            reply = try statements(of: mail(2, inReplyTo: 1))
        }
        XCTAssertEqual(reply.filter { $0.contains("FROM ticket_participants") }.count, 1, reply.joined(separator: "\n"))
        XCTAssertEqual(reply.filter { $0.contains("new_value = 'resolved'") }.count, 1)
        XCTAssertEqual(try db.row("SELECT ticket_id FROM messages WHERE id = 2")!.int("ticket_id"), 1)
    }

    func testTheCursorIsWrittenOncePerBatchAndStandsAtItsLastMessage() throws {
        var perMessage: [String] = []
        statements = []
        try intake.batch {
            for n in 1...5 { perMessage += try statements(of: mail(n)) }
            statements = []
        }
        XCTAssertTrue(perMessage.allSatisfy { !$0.contains("mailbox_cursors") }, perMessage.joined(separator: "\n"))
        XCTAssertEqual(statements.filter { $0.contains("mailbox_cursors") }.count, 2)  // read, then written
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 5)
    }

    func testAMessageQuarantinedInABatchNeverMovesTheCursorBack() throws {
        try intake.batch {
            for n in 1...3 { _ = try statements(of: mail(n)) }
            uid += 1
            // Not mail at all: quarantined, and its own transaction moves the cursor to its UID.
            XCTAssertEqual(try intake.ingest(raw: [0x00, 0xFF] + Array(repeating: 0x01, count: 64),
                                             key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen")).label,
                           "quarantined")
            _ = try statements(of: mail(5))
        }
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 5)
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM deliveries")!.int("n"), 5)
    }

    func testABatchRolledBackLeavesTheCursorWhereItWas() throws {
        struct Failure: Error {}
        try intake.batch { _ = try statements(of: mail(1)) }
        XCTAssertThrowsError(try intake.batch {
            for n in 2...4 { _ = try statements(of: mail(n)) }
            throw Failure()
        })
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 1)
        // Outside a batch a message moves the cursor in its own transaction, as before.
        _ = try statements(of: mail(5))
        XCTAssertEqual(try MailboxStore(db: db).cursor("support")?.lastUID, 5)
    }
}
