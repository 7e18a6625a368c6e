@testable import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// A re-time after changed SLA settings that cannot re-time a ticket, or cannot commit at all:
/// the failed ticket is tried again until it is done (its stale clocks never acted on, the
/// settings not recorded as applied before), and tickets made after the re-time began alert as
/// usual whatever the re-time does. The stored clocks start as an older policy's: first response
/// due 10 minutes after creation, warned at 5; p1 (running) says 1 hour, warned at 30 minutes.
extension SLASchedulerTests {
    /// Tickets 1...n, created now, with the older policy's clocks, and the older settings recorded.
    func ticketsTimedUnderOlderSettings(_ n: Int) throws {
        for k in 1...n { try deliver(mail(from: "c\(k)@customer.test", subject: "Question \(k)", id: "old\(k)@c")) }
        try db.execute("""
            UPDATE ticket_sla SET due_at = ?1 + 600, warn_at = ?1 + 300, next_alert_at = ?1 + 300 WHERE target = 'first_response'
            """, [now])
        try TicketStore(db: db).recordAppliedSLASettings("settings of an older config", now: now)
    }

    func ticketID(_ number: Int64) throws -> Int64 { try XCTUnwrap(try TicketStore(db: db).ticket(number: number)).id }

    func firstResponseDue(_ number: Int64) throws -> Int64? {
        try TicketStore(db: db).slaRecords(ticketID: ticketID(number)).first { $0.target == .firstResponse }?.dueAt
    }

    func alerts(_ number: Int64) throws -> [String] {
        try db.query("SELECT kind FROM sla_alerts WHERE ticket_id = ? ORDER BY id", [ticketID(number)]).map { $0.text("kind") }
    }

    func logged(_ fragment: String) -> Int { lines.all.filter { $0.contains(fragment) }.count }

    func testATicketWhoseRetimeFailsIsTriedAgainUntilItIsDoneAndOnlyThenAreTheSettingsApplied() throws {
        scheduler.retimeBatchSize = 2
        let created = now
        try ticketsTimedUnderOlderSettings(3)
        try db.execute("""
            CREATE TRIGGER stuck BEFORE UPDATE ON ticket_sla WHEN old.ticket_id = \(try ticketID(2))
            BEGIN SELECT RAISE(ABORT, 'stuck'); END
            """)
        XCTAssertTrue(scheduler.beginRetimeIfSettingsChanged())
        try deliver(mail(from: "c4@customer.test", subject: "Question 4", id: "new4@c"))

        XCTAssertTrue(scheduler.advanceRetime(batches: 10), "ticket 2 is left to try again")
        XCTAssertEqual(logged("level=warning event=sla.retime_ticket_failed ticket_id=\(try ticketID(2)) "), 1, lines.all.joined(separator: "\n"))
        XCTAssertEqual(logged("event=sla.recomputed tickets=2 failed=1"), 1, "tickets 1 and 3; 4 was timed by its intake\n" + lines.all.joined(separator: "\n"))
        let progress = try XCTUnwrap(try TicketStore(db: db).slaRetimeProgress())
        XCTAssertEqual(progress.failed, 1)
        XCTAssertTrue(progress.walked, "every other ticket is done")
        XCTAssertEqual(try TicketStore(db: db).appliedSLASettings(), "settings of an older config", "not applied while one failed")
        for n: Int64 in [1, 3, 4] { XCTAssertEqual(try firstResponseDue(n), created + 3600, "ticket \(n) under p1 (4 by its intake)") }
        XCTAssertEqual(try firstResponseDue(2), created + 600, "still the older policy's clock")

        // 35 minutes on: the older clock of ticket 2 says breached, p1 says warn. Ticket 2 waits.
        clock.advance(by: 35 * minute)
        let report = scheduler.tick()
        XCTAssertEqual(report.warnings, 3, "tickets 1, 3 and 4 under p1")
        XCTAssertEqual(report.breaches, 0, "nothing announced from ticket 2's older clock")
        XCTAssertEqual(try alerts(2), [])

        // Still failing: tried once a pass, no new verdict logged.
        XCTAssertTrue(scheduler.advanceRetime(batches: 10))
        XCTAssertEqual(try db.row("SELECT attempts FROM sla_retime_failed")?.int("attempts"), 2)
        XCTAssertEqual(logged("event=sla.recomputed"), 1)
        XCTAssertEqual(logged("level=warning event=sla.retime_ticket_failed"), 1, "a failure is said once, its retries at debug level")

        try db.execute("DROP TRIGGER stuck")
        XCTAssertFalse(scheduler.advanceRetime(batches: 10), "done")
        XCTAssertEqual(logged("event=sla.recomputed tickets=3 failed=0"), 1, lines.all.joined(separator: "\n"))
        XCTAssertEqual(try TicketStore(db: db).appliedSLASettings(), config.sla.fingerprint)
        XCTAssertNil(try TicketStore(db: db).slaRetimeProgress())
        XCTAssertEqual(try db.row("SELECT COUNT(*) FROM sla_retime_failed")?[0].int, 0)
        XCTAssertEqual(try firstResponseDue(2), created + 3600)
        XCTAssertEqual(scheduler.tick().warnings, 1, "ticket 2 is warned under p1")
        XCTAssertEqual(try alerts(2), ["warning"])
    }

    func testTicketsMadeAfterAStalledRetimeBeganAlertAsUsualAndTheStallIsLoggedOnce() throws {
        scheduler.retimeBatchSize = 2
        try ticketsTimedUnderOlderSettings(3)
        XCTAssertTrue(scheduler.beginRetimeIfSettingsChanged())
        // No batch can commit (think of a full disk): the cursor never moves.
        try db.execute("CREATE TRIGGER full BEFORE UPDATE ON sla_retime_progress BEGIN SELECT RAISE(ABORT, 'full'); END")
        try deliver(mail(from: "c4@customer.test", subject: "Question 4", id: "new4@c"))
        for _ in 0..<7 { XCTAssertTrue(scheduler.advanceRetime(batches: 1)) }
        XCTAssertEqual(try TicketStore(db: db).slaRetimeProgress()?.throughTicket, 0)
        XCTAssertEqual(logged("event=sla.retime_stalled passes=5 after_ticket=0"), 1, lines.all.joined(separator: "\n"))
        XCTAssertEqual(logged("event=sla.retime_stalled"), 1, "said once, not every pass")

        clock.advance(by: 35 * minute)
        let report = scheduler.tick()
        XCTAssertEqual(report.warnings, 1, "ticket 4 was timed under p1 by its intake")
        XCTAssertEqual(report.breaches, 0, "tickets 1-3 wait for their re-time")
        XCTAssertEqual(try alerts(4), ["warning"])

        try db.execute("DROP TRIGGER full")
        XCTAssertFalse(scheduler.advanceRetime(batches: 3))
        XCTAssertEqual(scheduler.tick().warnings, 3, "tickets 1-3 once re-timed")
    }

    /// A re-time begun by a version that did not record the last ticket id gets it when resumed,
    /// so tickets made from then on do not wait for it.
    func testAResumedRetimeThatDidNotRecordItsLastTicketTakesTodaysLast() throws {
        try ticketsTimedUnderOlderSettings(2)
        XCTAssertTrue(scheduler.beginRetimeIfSettingsChanged())
        try db.execute("UPDATE sla_retime_progress SET last_ticket = NULL")
        XCTAssertEqual(try TicketStore(db: db).slaRetimeProgress()?.waiting, .init(after: 0, through: .max))
        restart()
        XCTAssertTrue(scheduler.beginRetimeIfSettingsChanged())
        XCTAssertEqual(try TicketStore(db: db).slaRetimeProgress()?.waiting, .init(after: 0, through: try ticketID(2)))
        XCTAssertEqual(logged("event=sla.retime_resumed after_ticket=0 failed=0"), 1, lines.all.joined(separator: "\n"))
    }
}
