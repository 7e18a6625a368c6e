import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `tickets --sort due`: tickets by their soonest running SLA deadline (overdue first), then
/// those without a running deadline, newest first; filters and the limit apply to both parts.
final class TicketsByDueTests: StoreTestCase {
    /// Twelve tickets in two queues; clocks: (ticket number, target, phase, due).
    func desk(_ db: Database) throws -> TicketStore {
        try Schema.migrator.migrate(db, now: 0)
        let store = TicketStore(db: db)
        for n in 1...12 {
            try store.createTicket(subject: "t\(n)", requester: "c\(n)@customer.test", queue: n % 2 == 0 ? "billing" : "support",
                                   status: n % 3 == 0 ? .pending : .open, actor: "c", now: Int64(n))
        }
        let clocks: [(Int64, String, String, Int64?)] = [
            (1, "first_response", "running", 500), (1, "resolution", "running", 300),   // soonest of two: 300
            (2, "first_response", "running", 100),                                        // overdue-ish: soonest of all
            (3, "resolution", "paused", 50),                                              // paused: no running deadline
            (4, "first_response", "running", 300),                                        // ties with #1: newest first
            (5, "first_response", "met", 10), (5, "resolution", "running", 900),
            (6, "first_response", "running", nil),                                        // running without a deadline
            (7, "resolution", "running", 700),
        ]
        for (number, target, phase, due) in clocks {
            try db.execute("""
                INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, due_at, used_seconds, target_seconds, updated_at)
                VALUES ((SELECT id FROM tickets WHERE number = ?), ?, 'p', ?, 0, ?, 0, 3600, 0)
                """, [number, target, phase, due])
        }
        return store
    }

    func testRunningDeadlinesSoonestFirstThenTheRestNewestFirst() {
        forEachDatabase { db, kind in
            let store = try desk(db)
            XCTAssertEqual(try store.ticketsByDue(limit: 50).map(\.number), [2, 4, 1, 7, 5, 12, 11, 10, 9, 8, 6, 3], kind)
        }
    }

    func testTheLimitCutsWithinAndAcrossTheTwoParts() {
        forEachDatabase { db, kind in
            let store = try desk(db)
            XCTAssertEqual(try store.ticketsByDue(limit: 3).map(\.number), [2, 4, 1], kind)
            XCTAssertEqual(try store.ticketsByDue(limit: 5).map(\.number), [2, 4, 1, 7, 5], kind)
            XCTAssertEqual(try store.ticketsByDue(limit: 7).map(\.number), [2, 4, 1, 7, 5, 12, 11], kind)
        }
    }

    func testFiltersApplyToTicketsWithAndWithoutADeadline() {
        forEachDatabase { db, kind in
            let store = try desk(db)
            XCTAssertEqual(try store.ticketsByDue(queue: "billing").map(\.number), [2, 4, 12, 10, 8, 6], kind)
            XCTAssertEqual(try store.ticketsByDue(status: .pending).map(\.number), [12, 9, 6, 3], kind)
            XCTAssertEqual(try store.ticketsByDue(status: .open, queue: "support", limit: 3).map(\.number), [1, 7, 5], kind)
        }
    }

    func testAMergedTicketIsLeftOutUnlessAsked() {
        forEachDatabase { db, kind in
            let store = try desk(db)
            try db.execute("UPDATE tickets SET merged_into = (SELECT id FROM tickets WHERE number = 1) WHERE number = 2")
            XCTAssertEqual(try store.ticketsByDue(limit: 2).map(\.number), [4, 1], kind)
            XCTAssertEqual(try store.ticketsByDue(limit: 2, includeMerged: true).map(\.number), [2, 4], kind)
        }
    }
}
