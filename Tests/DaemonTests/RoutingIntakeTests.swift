@testable import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// Rules and assignment as the intake applies them to the store: queue, priority, tags, category,
/// assignee, events with the rule's name, waiting tickets assigned by the poll tick.
final class RoutingIntakeTests: XCTestCase {
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var config: Config!
    var lines: LockedLines!
    let feed = IntakeFeed()

    /// Monday 2026-12-07 10:00 UTC.
    static let monday10 = Date(timeIntervalSince1970: 1_796_601_600 + 10 * 3600)

    static let configText = """
        {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
         "calendars": {"office": {"time_zone": "Europe/Berlin", "hours": "mon-fri 09:00-17:00"}},
         "queues": [{"name": "support", "address": "support@example.test", "calendar": "office"},
                    {"name": "billing", "address": "billing@example.test", "language": "de"}],
         "agents": [{"email": "alice@example.test", "name": "Alice", "groups": ["support"], "hours": "mon-fri 09:00-17:00", "time_zone": "UTC"},
                    {"email": "bob@example.test", "groups": ["billing"], "hours": "mon-fri 09:00-17:00", "time_zone": "UTC"},
                    {"email": "carol@example.test", "groups": ["billing"], "hours": "mon-fri 09:00-17:00", "time_zone": "UTC"}],
         "groups": ["support", "billing"],
         "customers": [{"match": "ceo@bigcorp.test", "vip": true, "agent": "alice@example.test", "language": "en"}],
         "rules": [
           {"name": "vip", "when": {"customer.vip": true},
            "then": {"priority": "urgent", "tags": ["vip"], "assign": {"group": "support", "prefer": "account_manager"}}, "stop": true},
           {"name": "invoices", "when": {"any": [{"subject": {"contains": "invoice"}}, {"subject": {"contains": "Rechnung"}}]},
            "then": {"queue": "billing", "category": "billing", "assign": {"group": "billing", "strategy": "least_open"}}},
           {"name": "junk", "when": {"subject": {"matches": "^WIN (BIG|NOW)"}}, "then": {"spam": true}},
           {"name": "quiet", "when": {"from_domain": {"equals": "partner.test"}}, "then": {"acknowledge": false, "cc": "partner-desk@example.test"}},
           {"name": "weekend", "when": {"arrival": {"weekday": ["sat", "sun"]}}, "then": {"tags": ["weekend"], "assign": {"group": "support"}}},
           {"name": "escalate-follow-ups", "on": ["follow_up"], "when": {"text": {"contains": "still broken"}},
            "then": {"priority": "high", "tags": ["escalated"]}}
         ]}
        """

    override func setUp() {
        clock = FakeClock(Self.monday10)
        db = try! Store.open(path: ":memory:", now: clock.unixSeconds())
        lines = LockedLines()
        config = try! Config.parse(Array(Self.configText.utf8), file: "test.json")
        makeIntake()
    }

    /// A new Intake on the same store: what a restart of the daemon does.
    func makeIntake() {
        let log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { [lines] in lines!.append($0) })
        intake = Intake(db: db, config: config, clock: clock, log: log, signingKey: SigningKey(hex: String(repeating: "ab", count: 32))!)
    }

    @discardableResult
    func deliver(from: String, subject: String, to: String = "support@example.test", headers: String = "", body: String = "Hello") throws -> Int64 {
        let text = IntakeFeed.mail(from: from, to: to, subject: subject, id: "m\(feed.uid + 1)@x.test", date: nil, headers: headers, body: body)
        let outcome = try feed.deliver(text, to: intake)
        guard case .imported(let number, _, _) = outcome else { XCTFail("not imported: \(outcome)"); return 0 }
        return number
    }

    func ticket(_ number: Int64) throws -> (TicketRecord, TicketStore.Routing) {
        let store = TicketStore(db: db)
        let t = try XCTUnwrap(try store.ticket(number: number))
        return (t, try store.routing(ticketID: t.id))
    }

    func outbox(ticket number: Int64) throws -> [OutboxStore.Item] {
        let id = try ticket(number).0.id
        return try OutboxStore(db: db).due(now: clock.unixSeconds() + 100_000).filter { $0.ticketID == id }
    }

    func testAVIPIsUrgentAndGoesToHerAccountManager() throws {
        let n = try deliver(from: "The CEO <ceo@bigcorp.test>", subject: "Our invoice is wrong")
        let (t, routing) = try ticket(n)
        XCTAssertEqual(t.priority, .urgent)
        XCTAssertEqual(t.assignee, "alice@example.test")
        XCTAssertEqual(t.queue, "support", "stop: the invoice rule did not run")
        XCTAssertEqual(routing.tags, ["vip"])
        XCTAssertEqual(routing.language, "en")
        let events = try TicketStore(db: db).events(ticketID: t.id)
        let rule = try XCTUnwrap(events.first { $0.type == "rule" })
        XCTAssertEqual(rule.field, "vip")
        XCTAssertEqual(rule.reason, "customer.vip is true")
        XCTAssertTrue(events.contains { $0.type == "assignee" && $0.newValue == "alice@example.test" })
        XCTAssertEqual(try outbox(ticket: n).first { $0.kind == "new-ticket" }?.recipients, ["alice@example.test"],
                       "the new-ticket notice goes to the assignee")
    }

    func testAnInvoiceGoesToBillingWithItsLeastLoadedAgent() throws {
        // Bob already holds one billing ticket.
        let first = try deliver(from: "a@shop.test", subject: "Invoice 1")
        XCTAssertEqual(try ticket(first).0.assignee, "bob@example.test", "nobody loaded: the first in order")
        let second = try deliver(from: "b@shop.test", subject: "Rechnung fehlt")
        let (t, routing) = try ticket(second)
        XCTAssertEqual(t.queue, "billing")
        XCTAssertEqual(t.assignee, "carol@example.test", "bob has one open, carol none")
        XCTAssertEqual(routing.category, "billing")
        XCTAssertEqual(routing.language, "de", "billing's default language")
    }

    func testASaturdayMailWaitsUnassignedUntilMondayNineAndIsAssignedOnce() throws {
        clock.advance(by: 5 * 86_400) // Saturday 10:00
        let n = try deliver(from: "jo@home.test", subject: "Help")
        var (t, routing) = try ticket(n)
        XCTAssertNil(t.assignee)
        XCTAssertEqual(routing.tags, ["weekend"])
        XCTAssertEqual(routing.assignPending, "group:support/round_robin")
        let tick = PendingAssignments(db: db, config: config, clock: clock, log: Log(level: .error, timestamps: false, clock: { Date(timeIntervalSince1970: 0) }, sink: { _ in }))
        clock.advance(by: 86_400 + 22 * 3600 + 59 * 60) // Monday 08:59
        XCTAssertEqual(tick.tick(), 0)
        XCTAssertNil(try ticket(n).0.assignee)
        clock.advance(by: 60) // Monday 09:00
        XCTAssertEqual(tick.tick(), 1)
        (t, routing) = try ticket(n)
        XCTAssertEqual(t.assignee, "alice@example.test")
        XCTAssertNil(routing.assignPending, "assigned once: the wait is over")
        XCTAssertEqual(tick.tick(), 0, "never again")
        let assignments = try TicketStore(db: db).events(ticketID: t.id).filter { $0.type == "assignee" }
        XCTAssertEqual(assignments.count, 1)
        XCTAssertTrue(assignments[0].reason?.hasPrefix("came on duty") ?? false)
    }

    /// An assignment made when the agent comes on duty is announced like one made by mail: the
    /// agent hears she has the ticket, the customer that a specialist has been assigned.
    func testAnAssignmentOnComingOnDutyMailsTheAgentAndTheCustomer() throws {
        clock.advance(by: 5 * 86_400) // Saturday 10:00
        let n = try deliver(from: "Jo <jo@home.test>", subject: "Help")
        XCTAssertEqual(try outbox(ticket: n).filter { $0.kind.hasPrefix("assigned") }.count, 0, "nobody assigned yet")
        let tick = PendingAssignments(db: db, config: config, clock: clock, log: Log(level: .error, timestamps: false, clock: { Date(timeIntervalSince1970: 0) }, sink: { _ in }),
                                      notifier: intake.router.notifier)
        clock.advance(by: 86_400 + 23 * 3600) // Monday 09:00
        XCTAssertEqual(tick.tick(), 1)
        let mails = try outbox(ticket: n)
        XCTAssertEqual(mails.filter { $0.kind == "assigned" }.map(\.recipients), [["alice@example.test"]])
        XCTAssertEqual(mails.filter { $0.kind == "assigned-customer" }.map(\.recipients), [["jo@home.test"]])
        XCTAssertEqual(tick.tick(), 0)
        XCTAssertEqual(try outbox(ticket: n).count, mails.count, "announced once")
    }

    func testAWaitingTicketSomeoneTookMeanwhileIsLeftAlone() throws {
        clock.advance(by: 5 * 86_400)
        let n = try deliver(from: "jo@home.test", subject: "Help")
        let store = TicketStore(db: db)
        try store.setField(ticketID: try ticket(n).0.id, field: "assignee", old: nil, new: "bob@example.test", actor: "bob@example.test",
                           reason: nil, now: clock.unixSeconds())
        clock.advance(by: 2 * 86_400)
        XCTAssertEqual(PendingAssignments(db: db, config: config, clock: clock, log: Log(level: .error, timestamps: false, clock: { Date(timeIntervalSince1970: 0) }, sink: { _ in })).tick(), 0)
        XCTAssertEqual(try ticket(n).0.assignee, "bob@example.test")
        XCTAssertNil(try ticket(n).1.assignPending)
    }

    /// The waiting list is read before each ticket's transaction; a ticket assigned in between
    /// (here: while the first one is assigned, as another process would) is not overwritten.
    func testATicketAssignedWhileTheWaitingListIsWorkedThroughIsLeftAlone() throws {
        clock.advance(by: 5 * 86_400) // Saturday 10:00
        let first = try deliver(from: "jo@home.test", subject: "Help")
        let second = try deliver(from: "kim@home.test", subject: "Help too")
        let (a, b) = (try ticket(first).0.id, try ticket(second).0.id)
        XCTAssertNotNil(try ticket(second).1.assignPending)
        try db.execute("""
            CREATE TEMP TRIGGER meanwhile AFTER INSERT ON ticket_events WHEN NEW.ticket_id = \(a) AND NEW.type = 'assignee'
            BEGIN UPDATE tickets SET assignee = 'bob@example.test' WHERE id = \(b); END
            """)
        clock.advance(by: 86_400 + 23 * 3600) // Monday 09:00
        let tick = PendingAssignments(db: db, config: config, clock: clock, log: Log(level: .error, timestamps: false, clock: { Date(timeIntervalSince1970: 0) }, sink: { _ in }))
        XCTAssertEqual(tick.tick(), 1, "only the first was still waiting")
        XCTAssertEqual(try ticket(second).0.assignee, "bob@example.test", "not overwritten")
        XCTAssertNil(try ticket(second).1.assignPending, "and no longer waiting")
        XCTAssertNotNil(try ticket(first).0.assignee)
    }

    func testRoundRobinPositionSurvivesARestart() throws {
        config.rules = RuleSet([Rule(name: "all", when: .test(.init(field: .from, op: .contains([]), caseSensitive: false, text: "any")),
                                     then: [.assign(.group("billing", strategy: .roundRobin, prefer: nil))])])
        makeIntake()
        XCTAssertEqual(try ticket(try deliver(from: "a@x.test", subject: "1")).0.assignee, "bob@example.test")
        makeIntake() // restart
        XCTAssertEqual(try ticket(try deliver(from: "b@x.test", subject: "2")).0.assignee, "carol@example.test")
        makeIntake()
        XCTAssertEqual(try ticket(try deliver(from: "c@x.test", subject: "3")).0.assignee, "bob@example.test")
    }

    func testSpamIsStoredClosedTaggedAndSilent() throws {
        let n = try deliver(from: "win@lottery.test", subject: "WIN BIG today")
        let (t, routing) = try ticket(n)
        XCTAssertEqual(t.status, .closed)
        XCTAssertEqual(routing.tags, ["spam"])
        XCTAssertEqual(try outbox(ticket: n), [], "no mail at all")
        XCTAssertEqual(try TicketStore(db: db).messages(ticketID: t.id).count, 1, "the message is kept")
    }

    func testAcknowledgeFalseAndCcAction() throws {
        let n = try deliver(from: "x@partner.test", subject: "Order")
        XCTAssertEqual(Set(try outbox(ticket: n).map(\.kind)), ["new-ticket"], "no acknowledgement (one notice per agent)")
        let people = try TicketStore(db: db).participants(ticketID: try ticket(n).0.id)
        XCTAssertTrue(people.contains { $0.address == "partner-desk@example.test" && $0.role == "cc" })
    }

    func testAFollowUpRuleRaisesPriorityWithAnEventNamingIt() throws {
        let n = try deliver(from: "jo@home.test", subject: "Broken")
        try deliver(from: "jo@home.test", subject: "Re: [#\(n)] Broken", headers: "In-Reply-To: <m1@x.test>", body: "It is still broken!")
        let (t, routing) = try ticket(n)
        XCTAssertEqual(t.priority, .high)
        XCTAssertEqual(routing.tags, ["escalated"])
        let change = try TicketStore(db: db).events(ticketID: t.id).first { $0.type == "priority" }
        XCTAssertEqual(change?.reason, "rule \"escalate-follow-ups\"")
        XCTAssertEqual(change?.newValue, "high")
    }

    /// A hit is an event whose field is the rule's name; a rule may be called anything, even
    /// "status" or "priority", and its hits are neither status changes to the report figures nor a
    /// reason to quarantine the message (review finding, session 4).
    func testARuleNamedLikeATicketFieldIsJustARule() throws {
        let rules = """
            [{"name": "status", "on": ["new", "follow_up"], "when": {"subject": {"contains": "outage"}}, "then": {"priority": "urgent"}},
             {"name": "priority", "when": {"subject": {"contains": "outage"}}, "then": {"tags": ["outage"]}}]
            """
        let (db, intake) = try MemoryIntake.make(config: MessageClassTests.config(rules: rules), clock: clock)
        func mail(_ n: Int, subject: String) throws -> String {
            let raw = "From: a@example.com\r\nTo: support@example.test\r\nSubject: \(subject)\r\nMessage-ID: <x\(n)@example.com>\r\n\r\nHi\r\n"
            return "\(try intake.ingest(raw: Array(raw.utf8), key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: Int64(n), action: "seen")))"
        }
        let opened = clock.unixSeconds()
        let first = try mail(1, subject: "outage")
        clock.advance(by: 3600)
        let second = try mail(2, subject: "Re: [#1] outage")
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM quarantine")?.int("n"), 0, "\(first) \(second)")
        let store = TicketStore(db: db)
        let t = try XCTUnwrap(try store.ticket(number: 1))
        XCTAssertEqual(t.priority, .urgent)
        let events = try store.events(ticketID: t.id)
        XCTAssertEqual(events.filter { $0.type == "rule" }.map(\.field), ["status", "priority", "status"], "the follow-up hit too")
        XCTAssertFalse(events.contains { $0.type == "status" }, "the follow-up left the status as it was")
        let figures = try XCTUnwrap(try db.row("SELECT status_since, resolved_at, reopened FROM ticket_metrics WHERE ticket_id = ?", [t.id]))
        XCTAssertEqual(figures.int("status_since"), opened, "in its status since it was opened, not since the follow-up's hit")
        XCTAssertNil(figures.optionalInt("resolved_at"))
        XCTAssertEqual(figures.int("reopened"), 0)
    }

    func testTheDryRunPlansWhatTheIntakeStoresForEveryCorpusMessage() throws {
        let files = Fixtures.corpusMessages()
        try XCTSkipIf(files.isEmpty, "no corpus")
        var compared = 0
        for (i, (name, raw)) in files.enumerated() {
            let planned = try RuleDryRun(config: config, db: db).run(raw: raw, mailbox: "support", at: clock.now())
            let outcome = try feed.deliver(raw: raw, to: intake)
            guard case .imported(let number, _, _) = outcome else { continue }
            let (t, routing) = try ticket(number)
            guard planned.plan.isNewTicket else { continue }
            compared += 1
            XCTAssertEqual(planned.plan.queue, t.queue, name)
            XCTAssertEqual(planned.plan.state.priority, t.priority, name)
            XCTAssertEqual(planned.plan.state.assignee, t.assignee, name)
            XCTAssertEqual(planned.plan.routing.tags, routing.tags, name)
            XCTAssertEqual(planned.plan.routing.category, routing.category, name)
            if i % 7 == 0 { clock.advance(by: 3600 * 17) } // across nights and a weekend
        }
        XCTAssertGreaterThan(compared, files.count / 2, "most corpus messages open tickets")
    }
}
