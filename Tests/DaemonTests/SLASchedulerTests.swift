@testable import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// SLA clocks as the intake records them and the scheduler acts on them, with a fake clock:
/// policy p1 (wall clock) promises a first response in 1 h and resolution in 8 h, warns at 50 %,
/// escalates to the team lead; urgent tickets get "fast" (10 m / 1 h).
final class SLASchedulerTests: XCTestCase {
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var scheduler: SLAScheduler!
    var lines: LockedLines!
    let feed = IntakeFeed()
    var log: Log!

    static let configText = """
        {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
         "agents": [{"email": "agent1@example.test"}],
         "queues": [{"name": "support", "address": "support@example.test"}],
         "sla_policies": {"p1": {"calendar": "24x7", "first_response": "1h", "next_response": "2h", "resolution": "8h",
                                 "warn_at": 0.5, "escalate_to": "lead@example.test"},
                          "fast": {"first_response": "10m", "resolution": "1h"}},
         "sla_defaults": {"urgent": "fast", "*": "p1"},
         "auto_resolve_after": "7d", "auto_close_after": "14d"}
        """
    let config = try! Config.parse(Array(SLASchedulerTests.configText.utf8), file: "test.json")

    override func setUp() {
        clock = FakeClock()
        db = try! Store.open(path: ":memory:", now: clock.unixSeconds())
        lines = LockedLines()
        log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { [lines] in lines!.append($0) })
        restart()
    }

    /// A new intake and scheduler over the same store, as after a daemon restart.
    func restart() {
        intake = Intake(db: db, config: config, clock: clock, log: log, signingKey: SigningKey(hex: String(repeating: "ab", count: 32))!)
        scheduler = SLAScheduler(intake: intake, clock: clock, log: log)
    }

    @discardableResult
    func deliver(_ text: String) throws -> IntakeOutcome { try feed.deliver(text, to: intake) }

    /// An agent's mail answers her own notice for ticket 1: its reply handle proves it is hers.
    func mail(from: String, subject: String, id: String, headers: String = "", body: String = "Hello") -> String {
        var headers = headers
        if from.hasPrefix("agent1@") { headers += AgentReplyHandle.header(keyHex: String(repeating: "ab", count: 32), ticket: 1, agent: from) }
        return IntakeFeed.mail(from: from, subject: subject, id: id, headers: headers, body: body)
    }

    func outbox(_ kind: String) throws -> [OutboxStore.Item] {
        try OutboxStore(db: db).due(now: Int64.max / 2).filter { $0.kind == kind }
    }

    func clocks() throws -> [SLATarget: SLARecord] {
        let t = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        return Dictionary(uniqueKeysWithValues: try TicketStore(db: db).slaRecords(ticketID: t.id).map { ($0.target, $0) })
    }

    func events(_ type: String) throws -> [TicketEventRecord] {
        let t = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        return try TicketStore(db: db).events(ticketID: t.id).filter { $0.type == type }
    }

    var now: Int64 { clock.unixSeconds() }
    let minute: TimeInterval = 60, hour: TimeInterval = 3600, day: TimeInterval = 86_400

    func testANewTicketStoresItsDeadlines() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let c = try clocks()
        XCTAssertEqual(c[.firstResponse]?.dueAt, now + 3600)
        XCTAssertEqual(c[.firstResponse]?.warnAt, now + 1800)
        XCTAssertEqual(c[.firstResponse]?.policy, "p1")
        XCTAssertEqual(c[.resolution]?.dueAt, now + 8 * 3600)
        XCTAssertNil(c[.nextResponse], "no next response before a first reply")
    }

    func testWarningAndBreachFireOnceEachAcrossRestartReloadAndAClockJump() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        XCTAssertEqual(scheduler.tick(), .init(), "nothing due yet")
        clock.advance(by: 31 * minute)
        XCTAssertEqual(scheduler.tick().warnings, 1)
        XCTAssertEqual(scheduler.tick(), .init(), "a second tick sends nothing")
        let warning = try XCTUnwrap(try outbox("sla-warning").first)
        XCTAssertEqual(warning.recipients, ["agent1@example.test", "lead@example.test"], "unassigned: every agent, and the lead")
        XCTAssertTrue((Message.parse(warning.raw).text ?? "").contains("first response is due in 29m"), Message.parse(warning.raw).text ?? "")
        XCTAssertNotNil(Message.parse(warning.raw).header("Auto-Submitted"))

        restart()
        XCTAssertEqual(scheduler.tick(), .init(), "a restart re-sends nothing")
        clock.advance(by: 30 * minute)
        XCTAssertEqual(scheduler.tick().breaches, 1)
        intake.config = config   // what SIGHUP does
        XCTAssertEqual(scheduler.tick(), .init(), "a reload re-sends nothing")
        XCTAssertEqual(try outbox("sla-breach").count, 1)
        XCTAssertEqual(try clocks()[.firstResponse]?.breachedAt, try clocks()[.firstResponse]?.dueAt)

        clock.advance(by: 7 * day)
        let jumped = scheduler.tick()
        XCTAssertEqual(jumped.breaches, 1, "resolution breached while we were away")
        XCTAssertEqual(jumped.warnings, 0, "its warning, overtaken, is not sent")
        XCTAssertEqual(scheduler.tick().breaches, 0)
        XCTAssertEqual(try outbox("sla-warning").count, 1)
        XCTAssertEqual(try outbox("sla-breach").count, 2)
        let breaches = try events("sla-breach")
        XCTAssertEqual(breaches.map(\.field), ["first_response", "resolution"])
        XCTAssertEqual(breaches.map(\.actor), ["system", "system"])
        XCTAssertTrue(breaches[1].reason?.contains("late") ?? false, breaches[1].reason ?? "")
        XCTAssertFalse(breaches[0].reason?.contains("late") ?? true)

        var metrics = Metrics()
        try metrics.refreshGauges(from: db)
        XCTAssertEqual(metrics.slaBreaches, 2)
    }

    func testAnAgentReplyInTimeMeetsFirstResponseAndANoteOrAckDoesNot() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        XCTAssertEqual(try outbox("ack").count, 1, "the acknowledgement went out")
        XCTAssertEqual(try clocks()[.firstResponse]?.phase, .running, "an acknowledgement is no response")
        clock.advance(by: 10 * minute)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#priority high"))
        XCTAssertEqual(try clocks()[.firstResponse]?.phase, .running, "commands alone reach no customer")
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g2@s", body: "Unplug it."))
        XCTAssertEqual(try clocks()[.firstResponse]?.phase, .met)
        XCTAssertEqual(try clocks()[.firstResponse]?.metAt, now)
        clock.advance(by: 2 * hour)
        XCTAssertEqual(scheduler.tick().breaches, 0, "met in time: no breach")
        XCTAssertEqual(try events("sla-breach").count, 0)
    }

    func testPendingFreezesTheClocksAndTheCustomersReplyStartsANextResponseWait() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        clock.advance(by: hour / 2)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#status pending\n\nDone?"))
        XCTAssertEqual(try clocks()[.resolution]?.phase, .paused)
        XCTAssertNil(try clocks()[.resolution]?.dueAt)
        clock.advance(by: 2 * day)
        XCTAssertEqual(scheduler.tick(), .init(), "no alerts while paused")
        try deliver(mail(from: "ann@customer.test", subject: "Re: [#1] Printer", id: "a2@c", body: "Still broken"))
        let c = try clocks()
        XCTAssertEqual(c[.resolution]?.phase, .running)
        XCTAssertEqual(c[.resolution]?.dueAt, now + Int64(7.5 * hour), "half an hour used before the pause")
        XCTAssertEqual(c[.nextResponse]?.dueAt, now + 2 * 3600)
    }

    func testAPriorityChangeRetimesTheClocksFromHistory() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let created = now
        clock.advance(by: 5 * minute)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#priority urgent"))
        let c = try clocks()
        XCTAssertEqual(c[.firstResponse]?.policy, "fast")
        XCTAssertEqual(c[.firstResponse]?.dueAt, created + 600, "10 minutes from creation, not from the change")
        XCTAssertEqual(c[.resolution]?.dueAt, created + 3600)
        XCTAssertNil(c[.nextResponse], "fast promises no next response")
    }

    func testATicketOpenedClosedBySpamRuleRunsNoClock() throws {
        let spam = try Config.parse(Array(Self.configText.replacingOccurrences(of: #""auto_close_after": "14d"}"#, with: """
            "auto_close_after": "14d", "rules": [{"name": "spam", "when": {"subject": {"contains": "casino"}}, "then": {"spam": true}}]}
            """).utf8), file: "test.json")
        intake.config = spam
        try deliver(mail(from: "win@casino.test", subject: "Big casino win", id: "s1@c"))
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .closed)
        XCTAssertEqual(try clocks()[.firstResponse]?.phase, .stopped)
        XCTAssertEqual(try clocks()[.resolution]?.phase, .met)
        clock.advance(by: 30 * day)
        XCTAssertEqual(scheduler.tick(), .init(), "no alerts for a closed ticket")
    }

    func testAReloadWithAnotherPolicyRetimesTheStoredClocks() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let created = now
        clock.advance(by: 40 * minute)
        XCTAssertEqual(scheduler.tick().warnings, 1)
        let relaxed = try Config.parse(Array(Self.configText.replacingOccurrences(of: #""first_response": "1h""#,
                                                                                  with: #""first_response": "2h""#).utf8), file: "test.json")
        intake.config = relaxed
        XCTAssertEqual(scheduler.recomputeAll(), 1)
        XCTAssertEqual(try clocks()[.firstResponse]?.dueAt, created + 7200, "re-timed from creation under the new target")
        clock.advance(by: 30 * minute)
        XCTAssertEqual(scheduler.tick(), .init(), "the old deadline is gone and the warning is not sent again")
        clock.advance(by: 51 * minute)
        XCTAssertEqual(scheduler.tick().breaches, 1)
    }

    func testSilencePendingResolvesAndResolvedCloses() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#status pending\n\nDone?"))
        clock.advance(by: 3 * day)
        // Her vacation notice answers the agent's question (our signed Message-ID).
        let asked = try XCTUnwrap(try OutboxStore(db: db).due(now: Int64.max / 2).last { $0.recipients == ["ann@customer.test"] })
        let askedID = try XCTUnwrap(Message.parse(asked.raw).messageID)
        try deliver(mail(from: "ann@customer.test", subject: "Automatic reply: [#1] Printer", id: "v1@c",
                         headers: "In-Reply-To: <\(askedID)>\nAuto-Submitted: auto-replied\n", body: "I am away."))
        clock.advance(by: 4 * day - minute)
        XCTAssertEqual(scheduler.tick().autoResolved, 0, "an auto-reply does not restart the wait")
        clock.advance(by: minute)
        XCTAssertEqual(scheduler.tick().autoResolved, 1)
        let t = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        XCTAssertEqual(t.status, .resolved)
        let change = try XCTUnwrap(try events("status").last)
        XCTAssertEqual(change.actor, "system")
        XCTAssertEqual(change.reason, "no answer from the customer for 7d")
        XCTAssertNil(try outbox("status-resolved").last,
                     "her address sent an auto-reply: automatic mail to it is withheld (notifications.automatic_sender_days)")
        XCTAssertEqual(try clocks()[.resolution]?.phase, .met)

        clock.advance(by: 14 * day)
        XCTAssertEqual(scheduler.tick().autoClosed, 1)
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .closed)
        XCTAssertEqual(scheduler.tick(), .init())
    }

    func testSilenceResolvesWithANoticeSayingWhyAndHowToReopen() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#status pending\n\nDone?"))
        clock.advance(by: 7 * day)
        XCTAssertEqual(scheduler.tick().autoResolved, 1)
        let notice = try XCTUnwrap(try outbox("status-resolved").last)
        XCTAssertEqual(notice.recipients, ["ann@customer.test"])
        XCTAssertTrue((Message.parse(notice.raw).text ?? "").contains("reply to this mail within 14 days"), Message.parse(notice.raw).text ?? "")
        XCTAssertTrue((Message.parse(notice.raw).text ?? "").contains("not heard back from you for 7 days"), "says why")
    }

    /// Under `configText` (which must differ from the standard one): ticket 1 set pending, then
    /// resolved by a week of silence.
    func resolveBySilence(configText: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertNotEqual(configText, Self.configText, "the variant must change the config", file: file, line: line)
        intake.config = try Config.parse(Array(configText.utf8), file: "test.json")
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        try TicketStore(db: db).setStatus(ticketID: ticket.id, to: .pending, actor: "agent1@example.test", reason: nil, now: now)
        clock.advance(by: 7 * day)
        XCTAssertEqual(scheduler.tick().autoResolved, 1, file: file, line: line)
    }

    /// The resolved mail switched off in `notifications` stays off when silence resolves the
    /// ticket: the status changes, no mail is queued.
    func testAutoResolveSendsNoResolvedMailWhenThatNotificationIsSwitchedOff() throws {
        let quiet = Self.configText.replacingOccurrences(of: "\"auto_close_after\": \"14d\"}",
                                                         with: "\"auto_close_after\": \"14d\", \"notifications\": {\"events\": {\"status-resolved\": false}}}")
        try resolveBySilence(configText: quiet)
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .resolved)
        XCTAssertEqual(try outbox("status-resolved").count, 0, "switched off")
    }

    /// The reason silence resolved the ticket is in the customer's language, like the template around it.
    func testTheAutoResolveReasonSpeaksTheTemplatesLanguage() throws {
        let russian = Self.configText.replacingOccurrences(of: "\"address\": \"support@example.test\"}",
                                                           with: "\"address\": \"support@example.test\", \"language\": \"ru\"}")
        try resolveBySilence(configText: russian)
        let text = Message.parse(try XCTUnwrap(try outbox("status-resolved").last).raw).text ?? ""
        XCTAssertTrue(text.contains("Мы не получали от вас ответа 7 дней, поэтому закрыли этот запрос."), text)
        XCTAssertFalse(text.contains("heard back"), text)
        XCTAssertFalse(text.contains("7d"), text)
    }

    func testSilenceReasonsInEveryShippedLanguage() {
        XCTAssertEqual(LocalisedNames.duration(7 * 86_400, language: "en"), "7 days")
        XCTAssertEqual(LocalisedNames.duration(86_400 + 2 * 3600 + 60, language: "en"), "1 day, 2 hours and 1 minute")
        XCTAssertEqual(LocalisedNames.duration(86_400, language: "de"), "1 Tag")
        XCTAssertEqual(LocalisedNames.duration(3 * 86_400 + 3600, language: "de"), "3 Tagen und 1 Stunde")
        XCTAssertEqual(LocalisedNames.duration(21 * 86_400, language: "ru"), "21 день")
        XCTAssertEqual(LocalisedNames.duration(22 * 3600, language: "ru"), "22 часа")
        XCTAssertEqual(LocalisedNames.duration(11 * 60, language: "ru"), "11 минут")
        XCTAssertEqual(LocalisedNames.duration(2 * 86_400, language: "uk"), "2 дні")
        XCTAssertEqual(LocalisedNames.duration(60, language: "uk"), "1 хвилину")
        XCTAssertEqual(LocalisedNames.silenceResolvedReason(seconds: 86_400, language: "de"),
                       "Da wir seit 1 Tag nichts von Ihnen gehört haben, haben wir diese Anfrage mangels Antwort geschlossen.")
        XCTAssertNil(LocalisedNames.silenceResolvedReason(seconds: 86_400, language: "fr"), "no English inside a French template")
    }

    func testACustomerReplyToPendingReopensAndStopsAutoResolve() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#status pending\n\nDone?"))
        clock.advance(by: 6 * day)
        try deliver(mail(from: "ann@customer.test", subject: "Re: [#1] Printer", id: "a2@c", body: "No"))
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .open)
        clock.advance(by: 2 * day)
        XCTAssertEqual(scheduler.tick().autoResolved, 0)
    }

    /// The issue: a breach event at the deadline, exactly once. A reply after the deadline but
    /// before a tick noticed still leaves a breach behind, so it is announced (once), saying the
    /// target was met late; a warning for a target already met is not.
    func testATargetMetAfterItsDeadlineBeforeATickStillGetsItsBreachOnce() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        clock.advance(by: hour + 10 * minute)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "Unplug it."))
        XCTAssertEqual(try clocks()[.firstResponse]?.phase, .met)
        let report = scheduler.tick()
        XCTAssertEqual(report.breaches, 1)
        XCTAssertEqual(report.warnings, 0, "the warning was overtaken: recorded, not mailed")
        XCTAssertEqual(scheduler.tick(), .init())
        restart()
        XCTAssertEqual(scheduler.recomputeAll(), 1)
        XCTAssertEqual(scheduler.tick(), .init(), "a restart and a re-time send it no second time")
        let breach = try XCTUnwrap(try outbox("sla-breach").first)
        XCTAssertEqual(try outbox("sla-breach").count, 1)
        XCTAssertEqual(breach.recipients, ["agent1@example.test", "lead@example.test"])
        let text = Message.parse(breach.raw).text ?? ""
        XCTAssertTrue(text.contains("it was met 10m late, before this alert went out"), text)
        XCTAssertFalse(text.contains("daemon was not running"), text)
        XCTAssertEqual(try events("sla-breach").first?.reason?.contains("first response overdue since"), true)
        XCTAssertEqual(try events("sla-breach").first?.reason?.contains("met 10m late"), true)
        XCTAssertEqual(try outbox("sla-warning").count, 0)
    }

    /// A target met within its old deadline breaches under a stricter policy when a reload
    /// re-times it, but nobody is told of a breach that never happened under the policy in force.
    func testAStricterPolicyAfterAReloadAnnouncesNoBreachOfTargetsMetLongAgo() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        clock.advance(by: 40 * minute)
        XCTAssertEqual(scheduler.tick().warnings, 1)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "Unplug it."))
        clock.advance(by: hour)
        intake.config = try Config.parse(Array(Self.configText.replacingOccurrences(of: #""first_response": "1h""#,
                                                                                   with: #""first_response": "30m""#).utf8), file: "test.json")
        XCTAssertEqual(scheduler.recomputeIfSettingsChanged(), 1)
        XCTAssertNotNil(try clocks()[.firstResponse]?.breachedAt, "met at 40m: late under 30m")
        XCTAssertEqual(scheduler.tick().breaches, 0)
        XCTAssertNil(scheduler.recomputeIfSettingsChanged(), "the same settings again: nothing to re-time")
    }

    /// A start finds SLA settings other than those the stored clocks were computed under (edited
    /// while the daemon was down): it re-times the open tickets as a reload does.
    func testAStartWithChangedSLASettingsRetimesTheOpenTickets() throws {
        let path = Fixtures.temporaryDirectory("sla-start").appendingPathComponent("postdesk.db").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        db = try Store.open(path: path, now: now)
        restart()
        XCTAssertEqual(scheduler.recomputeIfSettingsChanged(), 0, "a new store records the settings it starts with")
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let created = now
        XCTAssertNil(scheduler.recomputeIfSettingsChanged())
        clock.advance(by: 10 * minute)

        let dir = (path as NSString).deletingLastPathComponent
        let relaxed = Self.configText.replacingOccurrences(of: #""first_response": "1h""#, with: #""first_response": "3h""#)
            .replacingOccurrences(of: #"{"smtp""#, with: #"{"database": "\#(path)", "state_directory": "\#(dir)", "smtp""#)
        let file = dir + "/config.json"
        try Data(relaxed.utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        let service = Service(config: try Config.load(path: file), configPath: file, databaseOverride: nil, environment: [:],
                              clock: clock, log: log, signals: nil) { _ in FakeMailbox() }
        try service.run(once: true)
        XCTAssertTrue(lines.all.contains { $0.contains("event=sla.recomputed tickets=1") }, lines.all.joined(separator: "\n"))
        db = try Store.open(path: path, now: now)
        XCTAssertEqual(try clocks()[.firstResponse]?.dueAt, created + 3 * 3600, "re-timed from creation under the new target")
    }

    /// The silence deadline is stored with the clocks (the tick reads an index, not every pending
    /// ticket); one left stale by a change outside the intake is worked out again, not obeyed.
    func testTheSilenceDeadlineIsStoredAndAStaleOneIsCheckedFirst() throws {
        try deliver(mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        XCTAssertNil(try db.row("SELECT silence_due_at FROM ticket_sla_policy")?.optionalInt("silence_due_at"), "open: no silence rule")
        clock.advance(by: hour)
        try deliver(mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "#status pending\n\nDone?"))
        let row = try XCTUnwrap(try db.row("SELECT silence_action, silence_due_at FROM ticket_sla_policy"))
        XCTAssertEqual(row.text("silence_action"), "resolve")
        XCTAssertEqual(row.int("silence_due_at"), now + 7 * 86_400)

        // Reopened behind the intake's back (no re-time): the store marks the ticket for a check,
        // the next tick works the deadline out again (none), nothing is resolved.
        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        try TicketStore(db: db).setStatus(ticketID: ticket.id, to: .open, actor: "agent1@example.test", reason: nil, now: now)
        XCTAssertEqual(try db.row("SELECT silence_due_at FROM ticket_sla_policy")?.optionalInt("silence_due_at"), now)
        XCTAssertEqual(scheduler.tick().autoResolved, 0)
        XCTAssertNil(try db.row("SELECT silence_due_at FROM ticket_sla_policy")?.optionalInt("silence_due_at"), "worked out again: none")

        // Set pending again behind its back: the next tick stores the week's deadline from then.
        clock.advance(by: hour)
        try TicketStore(db: db).setStatus(ticketID: ticket.id, to: .pending, actor: "agent1@example.test", reason: nil, now: now)
        XCTAssertEqual(scheduler.tick().autoResolved, 0)
        XCTAssertEqual(try db.row("SELECT silence_due_at FROM ticket_sla_policy")?.optionalInt("silence_due_at"), now + 7 * 86_400)
        clock.advance(by: 7 * day)
        XCTAssertEqual(scheduler.tick().autoResolved, 1)
    }

    /// An unassigned ticket's alerts go to its queue's agents (`queues[].agents`), not to every
    /// agent; an assigned one's to the assignee alone; the lead hears of both.
    func testAlertsForAnUnassignedTicketGoToItsQueuesAgents() throws {
        intake.config = try Config.parse(Array(Self.configText.replacingOccurrences(of: """
            "agents": [{"email": "agent1@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"}],
            """, with: """
            "agents": [{"email": "agent1@example.test"}, {"email": "agent2@example.test"}, {"email": "agent3@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test", "agents": "agent1@example.test"},
                        {"name": "billing", "address": "billing@example.test", "agents": ["agent3@example.test", "agent2@example.test"]}],
            """).utf8), file: "test.json")
        try deliver(IntakeFeed.mail(from: "ann@customer.test", to: "billing@example.test", subject: "Invoice", id: "b1@c"))
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.queue, "billing")
        clock.advance(by: 31 * minute)
        XCTAssertEqual(scheduler.tick().warnings, 1)
        XCTAssertEqual(try outbox("sla-warning").first?.recipients, ["agent2@example.test", "agent3@example.test", "lead@example.test"])

        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        try TicketStore(db: db).setField(ticketID: ticket.id, field: "assignee", old: nil, new: "agent3@example.test",
                                         actor: "agent3@example.test", reason: nil, now: now)
        clock.advance(by: 30 * minute)
        XCTAssertEqual(scheduler.tick().breaches, 1)
        XCTAssertEqual(try outbox("sla-breach").first?.recipients, ["agent3@example.test", "lead@example.test"])
    }
}
