import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// "The queue's agents" as the intake uses them: notices of an unassigned ticket and agents'
/// notes go to the members of the ticket's queue (`queues[].agents` / `groups`), not to everyone.
final class QueueMembersIntakeTests: XCTestCase {
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    override func setUp() {
        clock = FakeClock()
        (db, intake) = try! MemoryIntake.make(config: """
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "alice@example.test"}, {"email": "bob@example.test", "groups": ["billing"]},
                        {"email": "carol@example.test", "name": "Carol", "groups": ["billing"]}, {"email": "dan@example.test"}],
             "groups": ["billing"],
             "queues": [{"name": "support", "address": "support@example.test"},
                        {"name": "billing", "address": "billing@example.test", "groups": ["billing"]}]}
            """, clock: clock, signingKey: SigningKey(hex: String(repeating: "ab", count: 32))!)
    }

    func deliver(to: String, subject: String) throws -> Int64 {
        uid += 1
        let text = "From: jo@customer.test\r\nTo: \(to)\r\nSubject: \(subject)\r\nMessage-ID: <m\(uid)@customer.test>\r\n\r\nHello\r\n"
        let outcome = try intake.ingest(raw: Array(text.utf8), key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
        guard case .imported(let number, _, _) = outcome else { XCTFail("not imported: \(outcome)"); return 0 }
        return number
    }

    /// Each agent's notice is a mail of its own (it carries her reply handle).
    func recipients(_ kind: String, ticket number: Int64) throws -> [String] {
        let id = try XCTUnwrap(try TicketStore(db: db).ticket(number: number)).id
        return try OutboxStore(db: db).due(now: clock.unixSeconds() + 100_000).filter { $0.ticketID == id && $0.kind == kind }.flatMap(\.recipients).sorted()
    }

    func testBillingsTicketsAndNotesReachBillingsAgentsOnlyAndOtherQueuesEveryAgent() throws {
        let billing = try deliver(to: "billing@example.test", subject: "Invoice missing")
        XCTAssertEqual(try recipients("new-ticket", ticket: billing), ["bob@example.test", "carol@example.test"])
        _ = try intake.agentMail(ticket: billing, agent: "bob@example.test", body: "#note\nThe ledger shows it was paid.\n")
        XCTAssertEqual(try recipients("note", ticket: billing), ["carol@example.test"],
                       "the queue's other agents; never the customer, not alice or dan")
        let support = try deliver(to: "support@example.test", subject: "Printer")
        XCTAssertEqual(try recipients("new-ticket", ticket: support),
                       ["alice@example.test", "bob@example.test", "carol@example.test", "dan@example.test"],
                       "a queue naming no agents: every agent, as before")
    }
}
