@testable import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// A merge on the intake's desk (policy p1: first response 1 h, next response 2 h): Ann's #1
/// (answered; she wrote again after Bob opened #2) is merged into Bob's #2.
extension SLASchedulerTests {
    /// Returns when Ann's second message was stored (her wait that moves to #2).
    func mergeAnnsTicketIntoBobs() throws -> Int64 {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        clock.advance(by: 10 * minute)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "Unplug it."))
        clock.advance(by: 10 * minute)
        try deliver(mail(from: "bob@customer.test", subject: "Printer on floor 2", id: "b1@c"))
        clock.advance(by: 10 * minute)
        try deliver(mail(from: "ann@customer.test", subject: "Re: [#1] Printer", id: "a2@c", body: "Still broken"))
        let annWaitsSince = now
        clock.advance(by: 10 * minute)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g2@s", body: "#merge 2 same printer"))
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.mergedInto, 2)
        return annWaitsSince
    }

    func clocks(ticket number: Int64) throws -> [SLATarget: SLARecord] {
        let t = try XCTUnwrap(try TicketStore(db: db).ticket(number: number))
        return Dictionary(uniqueKeysWithValues: try TicketStore(db: db).slaRecords(ticketID: t.id).map { ($0.target, $0) })
    }

    /// B's clocks are worked out again from the history that moved in: Ann's unanswered message
    /// starts #2's next-response wait (counted from when she wrote, not from the merge); the
    /// agent's earlier answer to Ann came before #2 existed, so #2's first response still waits.
    /// The stub's clocks stay stopped, also when something re-times it later.
    func testAMergeRetimesTheTargetTicketsClocksFromTheMovedHistory() throws {
        let annWaitsSince = try mergeAnnsTicketIntoBobs()
        let bobsCreation = try XCTUnwrap(try TicketStore(db: db).ticket(number: 2)).createdAt
        var b = try clocks(ticket: 2)
        XCTAssertEqual(b[.nextResponse]?.phase, .running, "Ann's message waits for an answer on #2")
        XCTAssertEqual(b[.nextResponse]?.dueAt, annWaitsSince + 2 * 3600, "counted from her message")
        XCTAssertEqual(b[.firstResponse]?.phase, .running)
        XCTAssertEqual(b[.firstResponse]?.dueAt, bobsCreation + 3600, "#2's own creation; the earlier answer to Ann does not meet it")
        XCTAssertEqual(b[.resolution]?.dueAt, bobsCreation + 8 * 3600)
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 2)?.status, .new, "A's status history does not become B's")

        let a = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        let stub = try clocks(ticket: 1)
        XCTAssertEqual(stub[.firstResponse]?.phase, .met, "answered on #1 before the merge")
        XCTAssertEqual(stub[.resolution]?.phase, .stopped)
        XCTAssertEqual(stub[.nextResponse]?.phase, .stopped, "Ann's wait is #2's now")
        try intake.retimeSLA(ticketID: a.id, now: now)
        XCTAssertEqual(try clocks(ticket: 1), stub, "re-timing the stub changes nothing")

        // One answer on #2 meets both waits.
        clock.advance(by: 10 * minute)
        let handle = AgentReplyHandle.header(keyHex: String(repeating: "ab", count: 32), ticket: 2, agent: "agent1@example.test")
        try deliver(IntakeFeed.mail(from: "agent1@example.test", subject: "Re: [#2] Printer on floor 2", id: "g3@s",
                                    headers: handle, body: "A technician is on the way."))
        b = try clocks(ticket: 2)
        XCTAssertEqual(b[.firstResponse]?.metAt, now)
        XCTAssertEqual(b[.nextResponse]?.metAt, now)
        XCTAssertEqual(scheduler.tick(), .init(), "nothing of the stub or the met waits alerts")
        clock.advance(by: day)
        XCTAssertEqual(scheduler.tick().breaches, 1, "only #2's resolution")
    }

    /// The `merged` mail to Ann threads on what she has: her messages and our mails to her,
    /// never Bob's, though his conversation is on the same ticket now.
    func testTheMergedMailThreadsOnlyOnTheMergedRequestersMessages() throws {
        _ = try mergeAnnsTicketIntoBobs()
        let merged = try XCTUnwrap(try outbox("merged").first)
        XCTAssertEqual(merged.recipients, ["ann@customer.test"])
        let message = Message.parse(merged.raw)
        let references = (message.header("References") ?? "").split(separator: " ").map(String.init)

        let b = try XCTUnwrap(try TicketStore(db: db).ticket(number: 2))
        let toAnn = try db.query("""
            SELECT m.message_id FROM messages m JOIN outbox o ON o.message_row = m.id
            WHERE m.ticket_id = ? AND o.recipients = 'ann@customer.test' AND o.kind <> 'merged' ORDER BY m.id
            """, [b.id]).map { "<\($0.text("message_id"))>" }
        XCTAssertFalse(toAnn.isEmpty, "her acknowledgement and the agent's answer")
        XCTAssertEqual(Set(references), Set(["<a1@c>", "<a2@c>"] + toAnn), references.joined(separator: " "))
        XCTAssertEqual(references.first, "<a1@c>", "her first message first")
        XCTAssertEqual(message.header("In-Reply-To"), references.last)
        let toBob = try db.query("SELECT m.message_id FROM messages m JOIN outbox o ON o.message_row = m.id WHERE o.recipients LIKE '%bob@%'")
            .map { "<\($0.text("message_id"))>" }
        XCTAssertFalse(toBob.isEmpty)
        XCTAssertTrue(Set(references).isDisjoint(with: toBob + ["<b1@c>"]), "nothing of Bob's: \(references)")
    }
}
