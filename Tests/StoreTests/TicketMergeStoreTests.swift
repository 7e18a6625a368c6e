import Foundation
import Store
import Ticketing
import XCTest

/// The store's side of merging and linking: what moves, what the stub keeps, and the migration
/// that lets links say `merged` and `related` on a store with older rows.
final class TicketMergeStoreTests: StoreTestCase {
    func testTheMigrationRebuildsLinksKeepingOldRowsAndAllowsMergedAndRelated() throws {
        let db = try Database(path: temporaryDatabasePath())
        let old = Migrator(migrations: Array(Schema.migrator.migrations.prefix { $0.id != "v13-add-ticket-merge-and-related-links" }))
        try old.migrate(db, now: 0)
        let store = TicketStore(db: db)
        let a = try store.createTicket(subject: "A", requester: "ann@x.test", queue: "support", actor: "ann@x.test", now: 1)
        let b = try store.createTicket(subject: "B", requester: "bob@x.test", queue: "support", actor: "bob@x.test", now: 2)
        try store.addLink(ticketID: b.id, otherNumber: a.number, kind: "mentions", now: 3)
        try store.addLink(ticketID: a.id, otherNumber: b.number, kind: "follows", now: 4)
        XCTAssertThrowsError(try store.addLink(ticketID: a.id, otherNumber: b.number, kind: "related", now: 5), "the old CHECK")

        XCTAssertEqual(try Schema.migrator.migrate(db, now: 10).first, "v13-add-ticket-merge-and-related-links", "later migrations follow it")
        XCTAssertEqual(try store.links(ticketID: b.id).map(\.kind), ["mentions"])
        XCTAssertEqual(try store.links(ticketID: a.id).map(\.kind), ["follows"])
        XCTAssertEqual(try db.query("SELECT id FROM ticket_links ORDER BY id").map { $0.int("id") }, [1, 2], "row ids kept")
        try store.addLink(ticketID: a.id, otherNumber: b.number, kind: "related", now: 11)
        try store.addLink(ticketID: a.id, otherNumber: b.number, kind: "merged", now: 12)
        XCTAssertThrowsError(try store.addLink(ticketID: a.id, otherNumber: b.number, kind: "duplicate", now: 13), "still checked")
        XCTAssertNil(try store.ticket(number: a.number)?.mergedInto)
        XCTAssertEqual(try db.quickCheck(), "ok")
        XCTAssertEqual(try db.query("PRAGMA foreign_key_check").count, 0)
        XCTAssertNotNil(try db.row("SELECT 1 AS x FROM sqlite_master WHERE type = 'index' AND name = 'ticket_links_ticket'"))
    }

    /// Ann's duplicate (#1, with a message, an outgoing mail, a Cc, a tag, a link, SLA clocks)
    /// merged into Bob's #2.
    func makeDesk(_ db: Database) throws -> (TicketStore, TicketRecord, TicketRecord) {
        try Schema.migrator.migrate(db, now: 0)
        let store = TicketStore(db: db)
        let a = try store.createTicket(subject: "Printer", requester: "ann@x.test", queue: "support", actor: "ann@x.test", now: 100)
        let b = try store.createTicket(subject: "Printer broken", requester: "bob@x.test", queue: "support", actor: "bob@x.test", now: 50)
        let row = try store.addMessage(ticketID: a.id, direction: "in", messageID: "a1@x.test", sha256: "s", raw: Array("kettle".utf8),
                                       fromAddress: "ann@x.test", subject: "Printer", sentAt: nil, decision: "new", now: 100)
        try SearchIndex(db: db).add(messageRow: row, subject: "Printer", body: "the zanzibarite kettle", at: 100)
        _ = try OutboxStore(db: db).enqueue(ticketID: a.id, messageRow: nil, kind: "ack", mailFrom: "support@x.test", recipients: ["ann@x.test"],
                                        raw: Array("ack".utf8), now: 101)
        try store.addParticipant(ticketID: a.id, address: "ann@x.test", role: "requester", now: 100)
        try store.addParticipant(ticketID: a.id, address: "carol@x.test", role: "cc", now: 100)
        try store.addParticipant(ticketID: b.id, address: "bob@x.test", role: "requester", now: 50)
        try store.addTags(ticketID: a.id, ["printer"])
        try store.addLink(ticketID: a.id, otherNumber: 77, kind: "mentions", now: 100)
        try db.execute("""
            INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, due_at, used_seconds, target_seconds, next_alert_at, updated_at)
            VALUES (?, 'first_response', 'std', 'running', 100, 3700, 0, 3600, 3000, 100)
            """, [a.id])
        try db.execute("INSERT INTO ticket_sla_policy (ticket_id, updated_at, silence_action, silence_due_at) VALUES (?, 100, 'close', 5000)", [a.id])
        return (store, try store.ticket(id: a.id)!, try store.ticket(id: b.id)!)
    }

    func testMergingMovesEverythingAndLeavesAClosedStubThatForwards() {
        forEachDatabase { db, kind in
            let (store, a, b) = try makeDesk(db)
            try store.merge(a, into: b, actor: "agent@desk.test", reason: "same printer", now: 200)

            let stub = try XCTUnwrap(store.ticket(id: a.id))
            XCTAssertEqual(stub.mergedInto, b.number, kind)
            XCTAssertEqual(stub.status, .closed, kind)
            XCTAssertEqual(try store.messages(ticketID: b.id).map(\.messageID), ["a1@x.test"], kind)
            XCTAssertEqual(try store.messages(ticketID: a.id).count, 0, kind)
            XCTAssertEqual(try store.ticketNumber(forMessageID: "a1@x.test"), b.number, "stored Message-IDs now name #2")
            XCTAssertEqual(try db.row("SELECT ticket_id FROM outbox")?.int("ticket_id"), b.id, kind)
            XCTAssertEqual(try store.participants(ticketID: b.id).map { "\($0.address)=\($0.role)" },
                           ["bob@x.test=requester", "ann@x.test=cc", "carol@x.test=cc"], "Ann gets #2's replies as a Cc")
            XCTAssertEqual(try store.participants(ticketID: a.id).count, 0, kind)
            XCTAssertEqual(try store.routing(ticketID: b.id).tags, ["printer"], kind)
            XCTAssertEqual(try store.links(ticketID: b.id).map { "\($0.kind) #\($0.number)" }, ["mentions #77", "merged #1"], kind)
            XCTAssertEqual(try store.links(ticketID: a.id).map { "\($0.kind) #\($0.number)" }, ["merged #2"], kind)
            XCTAssertEqual(try db.row("SELECT phase, next_alert_at FROM ticket_sla WHERE ticket_id = ?", [a.id])?.text("phase"), "stopped")
            XCTAssertEqual(try store.silenceDue(now: Int64.max).map(\.number), [], "the stub is never resolved or closed by silence")

            // Both tickets name who merged and why; A's creation and status changes stay A's (B's
            // SLA clocks run on B's own lifecycle), its other events are on B now.
            let onA = try store.events(ticketID: a.id)
            XCTAssertEqual(onA.map(\.type), ["create", "status", "merged"], kind)
            XCTAssertEqual(onA.last.map { [$0.newValue, $0.actor, $0.reason] }, ["#2", "agent@desk.test", "same printer"], kind)
            let onB = try store.events(ticketID: b.id)
            XCTAssertEqual(onB.filter { $0.type == "create" }.count, 1, kind)
            XCTAssertEqual(onB.last.map { [$0.type, $0.newValue, $0.actor, $0.reason] }, ["merged", "#1", "agent@desk.test", "same printer"])

            // Search follows the message: one hit, on #2.
            let hits = try SearchIndex(db: db).search(SearchRequest(query: "zanzibarite"))
            XCTAssertEqual(hits.map(\.ticketNumber), [b.number], kind)

            // Reports count the request once, as #2.
            let report = try ReportStore(db: db).input(from: 0, to: 1_000)
            XCTAssertEqual(report.tickets.count, 1, kind)
            XCTAssertEqual(report.tickets.first?.created, 50, "the ticket that goes on")

            // The list hides the stub unless asked; the gauges count it nowhere.
            XCTAssertEqual(try store.tickets().map(\.number), [b.number], kind)
            XCTAssertEqual(try store.tickets(includeMerged: true).map(\.number), [b.number, a.number], kind)
            XCTAssertEqual(try store.ticketsByDue().map(\.number), [b.number], kind)
        }
    }

    func testAStubOrItselfCannotBeMergedAndLinksAreMadeOnceBothWays() {
        forEachDatabase { db, kind in
            let (store, a, b) = try makeDesk(db)
            XCTAssertThrowsError(try store.merge(a, into: a, actor: "x", reason: "r", now: 1), kind)
            XCTAssertTrue(try store.linkRelated(a, b, actor: "agent@desk.test", now: 150), kind)
            XCTAssertFalse(try store.linkRelated(b, a, actor: "agent@desk.test", now: 151), "already related (either way)")
            XCTAssertEqual(try store.links(ticketID: b.id).filter { $0.kind == "related" }.map(\.number), [a.number], kind)
            XCTAssertEqual(try store.events(ticketID: a.id).filter { $0.type == "linked" }.map(\.newValue), ["#2"], kind)
            try store.merge(a, into: b, actor: "x", reason: "r", now: 200)
            let stub = try XCTUnwrap(store.ticket(id: a.id))
            XCTAssertThrowsError(try store.merge(stub, into: b, actor: "x", reason: "again", now: 201), kind)
            XCTAssertThrowsError(try store.merge(b, into: stub, actor: "x", reason: "into a stub", now: 201), kind)
            XCTAssertEqual(try store.links(ticketID: b.id).filter { $0.kind == "related" }.count, 0, "a link to itself would be noise")
        }
    }
}
