import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// Report figures of a desk built through the real intake with a fake clock, against times
/// worked out by hand (a reopened ticket, business hours, auto-replies included).
final class ReportIntakeTests: XCTestCase {
    /// Monday 2026-11-02 09:00 UTC.
    static let start: Int64 = 1_793_577_600 + 9 * 3_600
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    override func setUp() {
        clock = FakeClock(Date(timeIntervalSince1970: TimeInterval(Self.start)))
        (db, intake) = try! MemoryIntake.make(config: """
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "agent1@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"}]}
            """, clock: clock, signingKey: SigningKey(hex: String(repeating: "cd", count: 32))!)
    }

    func at(hours: Double) { clock.advance(by: TimeInterval(Int64(hours * 3_600) + Self.start) - clock.now().timeIntervalSince1970) }

    /// An agent's mail answers her notice of the ticket in its subject: the reply handle proves it is hers.
    func deliver(from: String, subject: String, body: String, headers: String = "") throws {
        uid += 1
        var headers = headers
        if from.hasPrefix("agent1@"), let number = AgentReplyHandle.ticket(inSubject: subject) {
            headers += AgentReplyHandle.header(keyHex: String(repeating: "cd", count: 32), ticket: number, agent: from)
        }
        let text = "From: \(from)\nTo: support@example.test\nSubject: \(subject)\nMessage-ID: <m\(uid)@example.test>\n\(headers)\n\(body)\n"
        let outcome = try intake.ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                                        key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
        guard case .imported = outcome else { return XCTFail("\(outcome)") }
    }

    /// The tagged subject we sent about ticket `number` (with its token), to reply to.
    func tagged(_ number: Int64) throws -> String {
        let row = try XCTUnwrap(try db.row("""
            SELECT o.raw FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ? ORDER BY o.id LIMIT 1
            """, [number]))
        return "Re: " + (Message.parse(row.blob("raw")).subject ?? "")
    }

    func buildDesk() throws {
        at(hours: 0); try deliver(from: "ann@a.test", subject: "Printer", body: "It is on fire.")
        at(hours: 1); try deliver(from: "agent1@example.test", subject: try tagged(1), body: "#assign me\nTurn it off and on.")
        at(hours: 2); try deliver(from: "bob@b.test", subject: "VPN", body: "VPN drops.")
        at(hours: 3); try deliver(from: "agent1@example.test", subject: try tagged(1), body: "#resolve\nFixed.")
        at(hours: 5); try deliver(from: "ann@a.test", subject: try tagged(1), body: "It broke again.")
        at(hours: 6); try deliver(from: "agent1@example.test", subject: try tagged(2), body: "#resolve\nNew profile sent.")
        at(hours: 7); try deliver(from: "bob@b.test", subject: try tagged(2), body: "I am away until Monday.",
                                  headers: "Auto-Submitted: auto-replied\n")
        at(hours: 26); try deliver(from: "agent1@example.test", subject: try tagged(1), body: "#resolve\nReplaced the fuser.")
    }

    func report(business: (any BusinessClock)? = nil, queue: String? = nil, agent: String? = nil) throws -> Report {
        let from = Self.start - 9 * 3_600, to = from + 3 * 86_400
        let input = try ReportStore(db: db).input(from: from, to: to, queue: queue, agent: agent)
        return ReportBuilder.build(input, from: from, to: to, granularity: .day, now: to, business: business)
    }

    func testFiguresMatchTheHandComputedDesk() throws {
        try buildDesk()
        let r = try report()
        XCTAssertEqual(r.totals.created, 2)
        XCTAssertEqual(r.totals.resolved, 2)
        XCTAssertEqual(r.totals.firstResolved, 2)
        XCTAssertEqual(r.totals.reopened, 1, "ticket 1 was reopened by Ann")
        XCTAssertEqual(r.totals.reopenRate, 0.5)
        XCTAssertEqual(r.totals.backlog, 0)
        XCTAssertEqual(r.firstResponse.wall, Distribution(count: 2, median: 9_000, p90: 14_400, mean: 9_000), "1 h and 4 h")
        XCTAssertEqual(r.resolution.wall, Distribution(count: 2, median: 54_000, p90: 93_600, mean: 54_000), "26 h and 4 h")
        XCTAssertEqual(r.periods.map(\.created), [2, 0, 0])
        XCTAssertEqual(r.periods.map(\.resolved), [1, 1, 0])
        XCTAssertEqual(r.periods.map(\.backlog), [1, 0, 0])
        XCTAssertEqual(r.domains.map(\.name), ["a.test", "b.test"])
        XCTAssertEqual(r.agents.first?.agent, "agent1@example.test")
        // assign_on_first_reply: agent1's first answer on ticket 2 makes it hers too.
        XCTAssertEqual(r.agents.first?.resolved, 2)
        XCTAssertEqual(r.agents.first?.medianFirstResponse, 9_000, "1 h and 4 h")
        XCTAssertEqual(r.messages.autoReply, 1)
        XCTAssertEqual(r.messages.total, 8)
    }

    func testTheReportStreamedFromTheStoreEqualsTheOneBuiltFromItsInput() throws {
        try buildDesk()
        let from = Self.start - 9 * 3_600, to = from + 3 * 86_400
        let office = CalendarBusinessClock(fallback: WorkingCalendar(name: "office", timeZone: TimeZone(identifier: "UTC")!,
                                                                     hours: try WeeklyHours.parse("mon-fri 09:00-17:00")))
        for (queue, agent, business) in [(nil, nil, nil), ("support", nil, office), (nil, "agent1@example.test", nil),
                                         ("nowhere", nil, nil)] as [(String?, String?, (any BusinessClock)?)] {
            let streamed = try ReportStore(db: db).report(from: from, to: to, queue: queue, agent: agent, granularity: .day, now: to,
                                                          business: business)
            XCTAssertEqual(streamed, try report(business: business, queue: queue, agent: agent), "\(queue ?? "-") \(agent ?? "-")")
        }
        var input = try ReportStore(db: db).input(from: from, to: to)
        input.spamClassified = true
        XCTAssertEqual(try ReportStore(db: db).report(from: from, to: to, granularity: .week, now: to, spamClassified: true),
                       ReportBuilder.build(input, from: from, to: to, granularity: .week, now: to))
    }

    func testBusinessTimeFollowsTheCalendar() throws {
        try buildDesk()
        let office = WorkingCalendar(name: "office", timeZone: TimeZone(identifier: "UTC")!,
                                     hours: try WeeklyHours.parse("mon-fri 09:00-17:00"))
        let r = try report(business: CalendarBusinessClock(fallback: office))
        XCTAssertEqual(r.firstResponse.business?.median, 9_000, "within office hours business equals wall time")
        XCTAssertEqual(r.resolution.business, Distribution(count: 2, median: 25_200, p90: 36_000, mean: 25_200),
                       "ticket 1: 8 h on Monday + 2 h on Tuesday; ticket 2: 4 h")
    }

    func testSLAOutcomesComeFromTheSLAClocks() throws {
        try buildDesk()
        XCTAssertNil(try report().sla, "no policy: nothing recorded")
        try addClock(1, "first_response", met: Self.start + 3_600)
        try addClock(2, "first_response", breached: Self.start + 5 * 3_600)
        try addClock(1, "resolution", breached: Self.start + 20 * 3_600)
        let sla = try XCTUnwrap(try report().sla)
        XCTAssertEqual(sla.met, 1)
        XCTAssertEqual(sla.breached, 2)
        XCTAssertEqual(sla.targets, [SLACount(target: "first_response", met: 1, breached: 1), SLACount(target: "resolution", met: 0, breached: 1)])
    }

    func addClock(_ ticket: Int64, _ target: String, met: Int64? = nil, breached: Int64? = nil) throws {
        try db.execute("""
            INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, met_at, breached_at, used_seconds, target_seconds, updated_at)
            VALUES (?, ?, 'standard', ?, ?, ?, ?, 0, 3600, 0)
            """, [ticket, target, met == nil ? "running" : "met", Self.start, met, breached])
    }

    func testSLAOutcomesFollowEveryChangeOfTheClocks() throws {
        try buildDesk()
        try addClock(1, "first_response")
        try addClock(2, "first_response")
        try addClock(2, "resolution")
        XCTAssertEqual(try report().sla?.targets, [SLACount(target: "first_response", met: 0, breached: 0),
                                                   SLACount(target: "resolution", met: 0, breached: 0)], "running clocks name their targets")
        // The daemon's save is an upsert; its tick sets the breach; a later met keeps the breach.
        try db.execute("UPDATE ticket_sla SET phase = 'met', met_at = ? WHERE ticket_id = 1 AND target = 'first_response'", [Self.start + 60])
        try db.execute("UPDATE ticket_sla SET breached_at = ? WHERE ticket_id = 2 AND target = 'first_response'", [Self.start + 7_200])
        try db.execute("UPDATE ticket_sla SET phase = 'met', met_at = ? WHERE ticket_id = 2 AND target = 'first_response'", [Self.start + 9_000])
        try db.execute("""
            INSERT INTO ticket_sla (ticket_id, target, policy, phase, cycle_start, met_at, used_seconds, target_seconds, updated_at)
            VALUES (2, 'resolution', 'standard', 'met', 0, ?, 0, 3600, 0)
            ON CONFLICT (ticket_id, target) DO UPDATE SET phase = excluded.phase, met_at = excluded.met_at
            """, [Self.start + 20_000])
        try db.execute("UPDATE ticket_sla SET phase = 'stopped', used_seconds = 5, updated_at = 9 WHERE ticket_id = 1")
        XCTAssertEqual(try report().sla?.targets, [SLACount(target: "first_response", met: 1, breached: 1),
                                                   SLACount(target: "resolution", met: 1, breached: 0)])
        try db.execute("DELETE FROM ticket_sla WHERE ticket_id = 2 AND target = 'resolution'")
        XCTAssertEqual(try report().sla?.targets, [SLACount(target: "first_response", met: 1, breached: 1)], "a policy without the target")
        try db.execute("UPDATE ticket_sla SET target = 'next_response' WHERE ticket_id = 1")
        XCTAssertEqual(try report().sla?.targets, [SLACount(target: "first_response", met: 0, breached: 1),
                                                   SLACount(target: "next_response", met: 1, breached: 0)])
        try db.execute("DELETE FROM ticket_sla")
        XCTAssertNil(try report().sla)
        XCTAssertEqual(try db.row("SELECT SUM(sla_outcomes) AS n FROM ticket_metrics")?.int("n"), 0)
    }

    func testTheMigrationGivesOutcomesToClocksStoredBeforeIt() throws {
        try buildDesk()
        // A store as v20 left it: no outcome column, no triggers; the clocks written then.
        try db.executeScript("""
            DROP TRIGGER ticket_metrics_sla_on_insert; DROP TRIGGER ticket_metrics_sla_on_update; DROP TRIGGER ticket_metrics_sla_on_delete;
            DROP VIEW ticket_sla_outcome_bits; ALTER TABLE ticket_metrics DROP COLUMN sla_outcomes;
            DELETE FROM schema_migrations WHERE id = 'v22-add-sla-outcomes-to-report-figures';
            """)
        try addClock(1, "first_response", met: Self.start + 3_600)
        try addClock(2, "first_response", breached: Self.start + 5 * 3_600)
        try addClock(1, "resolution", met: Self.start + 20 * 3_600, breached: Self.start + 10 * 3_600)
        try addClock(2, "next_response")
        try Schema.migrator.migrate(db, now: 0)
        let sla = try XCTUnwrap(try report().sla)
        XCTAssertEqual([sla.met, sla.breached], [1, 2])
        XCTAssertEqual(sla.targets, [SLACount(target: "first_response", met: 1, breached: 1), SLACount(target: "next_response", met: 0, breached: 0),
                                     SLACount(target: "resolution", met: 0, breached: 1)], "met after its breach counts as breached")
        try addClock(2, "resolution", met: Self.start + 6 * 3_600)
        XCTAssertEqual(try report().sla?.targets.last, SLACount(target: "resolution", met: 1, breached: 1), "and the triggers keep them after")
    }

    func testTheMigrationComputesFiguresForAnOlderStore() throws {
        try buildDesk()
        let before = try report()
        try db.executeScript("""
            DELETE FROM ticket_metrics; DELETE FROM message_daily;
            DELETE FROM schema_migrations WHERE id IN ('v7-add-report-figures', 'v15-add-report-keys-and-list-indexes',
                                                       'v22-add-sla-outcomes-to-report-figures');
            DROP TRIGGER ticket_metrics_sla_on_insert; DROP TRIGGER ticket_metrics_sla_on_update; DROP TRIGGER ticket_metrics_sla_on_delete;
            DROP VIEW ticket_sla_outcome_bits;
            DROP TRIGGER ticket_metrics_on_create; DROP TRIGGER ticket_metrics_on_status; DROP TRIGGER ticket_metrics_on_reply;
            DROP TRIGGER message_daily_on_insert; DROP TABLE ticket_metrics; DROP TABLE message_daily; DROP INDEX tickets_created;
            DROP TRIGGER ticket_metrics_on_ticket_change; DROP TABLE report_names; DROP INDEX tickets_status_number; DROP INDEX tickets_queue_number;
            """)
        try Schema.migrator.migrate(db, now: 0)
        XCTAssertEqual(try report(), before)
    }

    func testTheReportKeysFollowTheTicketsQueueAndAssignee() throws {
        try buildDesk()
        XCTAssertEqual(try report(agent: "Agent1@Example.test").totals.created, 2, "both tickets are agent1's; addresses match in any case")
        XCTAssertEqual(try report(queue: "support").totals.created, 2)
        XCTAssertEqual(try report(queue: "nowhere").totals.created, 0, "a queue no ticket ever had: an empty report, not an error")
        XCTAssertEqual(try report(agent: "nobody@example.test").agents, [])
        // A change made outside the intake (the CLI's `set queue`, an operator's SQL) moves the ticket too.
        try db.execute("UPDATE tickets SET queue = 'billing', assignee = NULL, category = 'printing' WHERE number = 1")
        XCTAssertEqual(try report(queue: "billing").totals.created, 1)
        XCTAssertEqual(try report(queue: "support").totals.created, 1)
        XCTAssertEqual(try report(agent: "agent1@example.test").totals.created, 1)
        XCTAssertEqual(try report().categories.map(\.name), ["printing"])
        XCTAssertEqual(Set(try report().queues.map(\.name)), ["billing", "support"])
    }
}
