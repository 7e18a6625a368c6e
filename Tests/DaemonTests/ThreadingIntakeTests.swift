import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// Threading, lifecycle, loop defence and notifications as the intake applies them to the store.
final class ThreadingIntakeTests: XCTestCase {
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var lines: LockedLines!
    let feed = IntakeFeed()

    override func setUp() {
        clock = FakeClock()
        db = try! Store.open(path: ":memory:", now: clock.unixSeconds())
        lines = LockedLines()
        let config = try! Config.parse(Array("""
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "agent1@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"}]}
            """.utf8), file: "test.json")
        let log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { [lines] in lines!.append($0) })
        intake = Intake(db: db, config: config, clock: clock, log: log, signingKey: SigningKey(hex: String(repeating: "ab", count: 32))!)
    }

    @discardableResult
    func deliver(_ text: String) throws -> IntakeOutcome { try feed.deliver(text, to: intake) }

    func ticketNumber(_ outcome: IntakeOutcome) -> Int64? {
        if case .imported(let t, _, _) = outcome { return t }
        return nil
    }

    func outbox(kind: String) throws -> [OutboxStore.Item] {
        try OutboxStore(db: db).due(now: clock.unixSeconds() + 100_000).filter { $0.kind == kind }
    }

    /// The tag we sent the customer (with its token), read from our acknowledgement.
    func sentSubject(ticket: Int64) throws -> String {
        let ack = try outbox(kind: "ack").first { $0.ticketID != nil && (try? TicketStore(db: db).ticket(id: $0.ticketID!))??.number == ticket }!
        return Message.parse(ack.raw).subject!
    }

    /// The In-Reply-To header of an agent answering their own copy of the newest notice: the
    /// reply handle that proves the answer is the agent's.
    func replyHandle(for agent: String = "agent1@example.test") throws -> String {
        let notices = try outbox(kind: "new-ticket") + outbox(kind: "follow-up")
        let notice = try XCTUnwrap(notices.last { $0.recipients == [agent] })
        return "In-Reply-To: <\(try XCTUnwrap(Message.parse(notice.raw).messageID))>\n"
    }

    func testANewRequestOpensATicketAcknowledgesTheCustomerAndTellsTheAgents() throws {
        let t = ticketNumber(try deliver(IntakeFeed.mail(from: "Ann <ann@customer.test>", subject: "Printer on fire", id: "a1@customer.test")))
        XCTAssertEqual(t, 1)
        let ack = try XCTUnwrap(try outbox(kind: "ack").first)
        XCTAssertEqual(ack.recipients, ["ann@customer.test"])
        let parsed = Message.parse(ack.raw)
        XCTAssertTrue(parsed.subject!.hasPrefix("[#1-"), parsed.subject!)
        XCTAssertEqual(parsed.header("Auto-Submitted"), "auto-replied")
        XCTAssertNotNil(parsed.header("X-Postdesk-Loop"))
        XCTAssertEqual(parsed.inReplyTo, ["a1@customer.test"])
        XCTAssertEqual(try outbox(kind: "new-ticket").first?.recipients, ["agent1@example.test"])
    }

    func testAReplyWithOnlyTheTagFromTheRequesterJoinsHerTicket() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer on fire", id: "a1@c"))
        let outcome = try deliver(IntakeFeed.mail(from: "Ann <ANN@customer.test>", subject: "RE: [#1] Printer on fire", id: "a2@c"))
        guard case .imported(1, _, let decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(decision, "subject tag, sender is requester")
    }

    func testAReplyThatKeepsOnlyReferencesToOurMessageIDJoins() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let ack = try XCTUnwrap(try outbox(kind: "ack").first)
        let ourID = try XCTUnwrap(Message.parse(ack.raw).messageID)
        let outcome = try deliver(IntakeFeed.mail(from: "ann@gmail.test", subject: "Re: Printer", id: "a2@c", headers: "References: <\(ourID)>"))
        guard case .imported(1, _, let decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(decision.hasPrefix("references <\(ourID)>"), decision)
    }

    func testAStrangerQuotingSomeoneElsesTicketGetsANewLinkedTicket() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Invoice", id: "a1@c"))
        let outcome = try deliver(IntakeFeed.mail(from: "mallory@evil.test", subject: "Re: [#1] Invoice", id: "m1@e"))
        guard case .imported(2, _, let decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(decision, "new: stranger mentions #1")
        let links = try TicketStore(db: db).links(ticketID: try TicketStore(db: db).ticket(number: 2)!.id)
        XCTAssertEqual(links.first?.kind, "mentions")
        XCTAssertEqual(links.first?.number, 1)
    }

    func testAStrangerWithTheRightTokenJoinsBecauseTheTokenIsTheCapability() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Invoice", id: "a1@c"))
        let tagged = try sentSubject(ticket: 1)
        let outcome = try deliver(IntakeFeed.mail(from: "colleague@customer.test", subject: "Fwd: \(tagged)", id: "c1@c"))
        guard case .imported(1, _, let decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(decision, "subject tag+token")
    }

    func testAnAgentReplyReachesTheCustomerAndItsCommandsChangeTheTicket() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let outcome = try deliver(IntakeFeed.mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", headers: try replyHandle(),
                                       body: "#status pending\n#priority high\n\nPlease unplug it.\n\nOn Mon, Ann wrote:\n> Hello"))
        XCTAssertEqual(ticketNumber(outcome), 1)
        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        XCTAssertEqual(ticket.status, .pending)
        XCTAssertEqual(ticket.priority, .high)
        // One mail: the reply with the status line ("waiting for your answer") added.
        XCTAssertEqual(try OutboxStore(db: db).due(now: Int64.max / 2).filter { $0.recipients == ["ann@customer.test"] }.map(\.kind),
                       ["ack", "status-pending"])
        let reply = try XCTUnwrap(try outbox(kind: "status-pending").first)
        XCTAssertEqual(reply.recipients, ["ann@customer.test"])
        let text = Message.parse(reply.raw).text ?? ""
        XCTAssertTrue(text.contains("Please unplug it."), text)
        XCTAssertTrue(text.contains("is waiting for your answer to the question above"), text)
        XCTAssertFalse(text.contains("#status"), "commands are not shown to the customer")
        XCTAssertNil(Message.parse(reply.raw).header("Auto-Submitted"), "an agent's answer is not automatic mail")
        // The customer answers: pending → open.
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Re: [#1] Printer", id: "a2@c"))
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .open)
    }

    func testAReplyWithAFailedCommandIsNotSentAndTheAgentGetsAReport() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        try deliver(IntakeFeed.mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", headers: try replyHandle(),
                         body: "#priority high\n#status frozen\n\nPlease unplug it."))
        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        XCTAssertEqual(ticket.priority, .high, "the command that worked applied")
        XCTAssertEqual(try outbox(kind: "reply").count, 0, "a half-understood reply never reaches the customer")
        XCTAssertTrue(try outbox(kind: "status-open").isEmpty)
        let report = try XCTUnwrap(try outbox(kind: "command-report").first)
        XCTAssertEqual(report.recipients, ["agent1@example.test"])
        let text = Message.parse(report.raw).text ?? ""
        XCTAssertTrue(text.contains("applied: priority normal → high"), text)
        XCTAssertTrue(text.contains("failed:  #status needs one of"), text)
        XCTAssertTrue(text.contains("NOT sent to the customer"), text)
        let refused = try TicketStore(db: db).events(ticketID: ticket.id).filter { $0.type == "command-refused" }
        XCTAssertEqual(refused.count, 1)
    }

    func testAVacationReplyIsStoredButChangesNothingAndSendsNothing() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        try deliver(IntakeFeed.mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", headers: try replyHandle(), body: "#status pending\n\nDone?"))
        let before = try OutboxStore(db: db).due(now: Int64.max / 2).count
        let outcome = try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Automatic reply: [#1] Printer", id: "v1@c",
                                       headers: "Auto-Submitted: auto-replied\n", body: "I am away."))
        guard case .imported(1, _, let decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(decision.contains("auto-reply"), decision)
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .pending)
        XCTAssertEqual(try OutboxStore(db: db).due(now: Int64.max / 2).count, before)
    }

    func testOurOwnMailComingBackIsDroppedWithARecord() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let ack = try XCTUnwrap(try outbox(kind: "ack").first)
        // A forwarder sends our acknowledgement straight back into the support mailbox.
        let outcome = try feed.deliver(raw: ack.raw, to: intake)
        guard case .duplicate = outcome else {
            guard case .ownMail = outcome else { return XCTFail("\(outcome)") }
            return
        }
    }

    func testAnAutoresponderPingPongStopsAtTheRateLimit() throws {
        // A naive autoresponder answers every mail we send with a new, untagged mail.
        for n in 1...20 {
            try deliver(IntakeFeed.mail(from: "robot@autoresponder.test", subject: "Your mail \(n)", id: "r\(n)@robot"))
        }
        XCTAssertEqual(try outbox(kind: "ack").count, 5, "at most 5 automatic mails per address per hour")
        XCTAssertEqual(lines.all.filter { $0.contains("event=notify.suppressed") }.count, 1, "one log line, then silence: \(lines.all.filter { $0.contains("suppressed") })")
        clock.advance(by: 3601)
        try deliver(IntakeFeed.mail(from: "robot@autoresponder.test", subject: "Your mail 21", id: "r21@robot"))
        XCTAssertEqual(try outbox(kind: "ack").count, 6)
    }

    func testAPermanentBounceMarksTheAddressUndeliverableAndWeStopMailingIt() throws {
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Printer", id: "a1@c"))
        let ack = try XCTUnwrap(try outbox(kind: "ack").first)
        let ourID = try XCTUnwrap(Message.parse(ack.raw).messageID)
        let bounce = """
            From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>
            To: support@example.test
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <b1@mx>
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain

            Your message could not be delivered.
            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.customer.test

            Final-Recipient: rfc822; ann@customer.test
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 user unknown
            --B
            Content-Type: text/rfc822-headers

            From: support@example.test
            To: ann@customer.test
            Message-ID: <\(ourID)>
            Subject: [#1] Printer
            --B--
            """
        let outcome = try deliver(bounce)
        guard case .imported(1, _, let decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(decision.contains("bounce"), decision)
        XCTAssertTrue(try TicketStore(db: db).isUndeliverable("ann@customer.test"))
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.status, .new, "a bounce never changes the status")
        // The agent answers: nothing is queued for the dead address.
        try deliver(IntakeFeed.mail(from: "agent1@example.test", subject: "Re: [#1] Printer", id: "g1@s", body: "Hello?"))
        XCTAssertEqual(try outbox(kind: "reply").count, 0)
    }

    func testWithHoldPolicyAStrangersMentionIsQuarantinedUntilAnOperatorReleasesIt() throws {
        let config = try Config.parse(Array("""
            {"stranger_policy": "hold", "agents": [{"email": "agent1@example.test"}],
             "smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"}}
            """.utf8), file: "test.json")
        let log = Log(level: .debug, timestamps: false, clock: { [clock] in clock!.now() }, sink: { _ in })
        intake = Intake(db: db, config: config, clock: clock, log: log)
        try deliver(IntakeFeed.mail(from: "ann@customer.test", subject: "Invoice", id: "a1@c"))
        let held = try deliver(IntakeFeed.mail(from: "mallory@evil.test", subject: "Re: [#1] Invoice", id: "m1@e"))
        guard case .quarantined(let id, let reason) = held else { return XCTFail("\(held)") }
        XCTAssertEqual(reason, "hold: stranger mentions #1")
        guard case .quarantined = try intake.retryQuarantined(id) else { return XCTFail("a plain retry holds it again") }
        let released = try intake.retryQuarantined(id, asNew: true)
        guard case .imported(2, _, let decision) = released else { return XCTFail("\(released)") }
        XCTAssertEqual(decision, "new: stranger mentions #1, released by operator")
        XCTAssertEqual(try TicketStore(db: db).ticket(number: 1)?.requester, "ann@customer.test", "ticket 1 untouched")
    }
}
