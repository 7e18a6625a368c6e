import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// Satisfaction by e-mail through the real intake: the resolved mail carries signed Good/Bad
/// links; mail to one records a rating (the last counts) without reopening; forged links and
/// auto-replies record nothing; the report shows satisfaction per agent, queue and period.
final class RatingIntakeTests: XCTestCase {
    /// Monday 2026-11-02 09:00 UTC.
    static let start: Int64 = 1_793_577_600 + 9 * 3_600
    static let keyHex = String(repeating: "cd", count: 32)
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    override func setUp() { makeDesk() }

    func makeDesk(extra: String = "") {
        clock = FakeClock(Date(timeIntervalSince1970: TimeInterval(Self.start)))
        (db, intake) = try! MemoryIntake.make(config: """
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "agent1@example.test"}, {"email": "agent2@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"},
                        {"name": "billing", "address": "billing@example.test", "language": "de"}]\(extra)}
            """, clock: clock, signingKey: SigningKey(hex: Self.keyHex)!)
    }

    func at(hours: Double) { clock.advance(by: TimeInterval(Int64(hours * 3_600) + Self.start) - clock.now().timeIntervalSince1970) }

    @discardableResult
    func deliver(from: String, to: String = "support@example.test", subject: String, body: String, headers: String = "") throws -> IntakeOutcome {
        uid += 1
        var headers = headers
        if from.hasPrefix("agent"), let number = AgentReplyHandle.ticket(inSubject: subject) {
            headers += AgentReplyHandle.header(keyHex: Self.keyHex, ticket: number, agent: from)
        }
        let text = "From: \(from)\nTo: \(to)\nSubject: \(subject)\nMessage-ID: <r\(uid)@example.test>\n\(headers)\n\(body)\n"
        return try intake.ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                                 key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    func outbox(_ number: Int64, kind: String? = nil) throws -> [Message] {
        try db.query("""
            SELECT o.raw FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ? AND (?2 IS NULL OR o.kind = ?2) ORDER BY o.id
            """, [number, kind]).map { Message.parse($0.blob("raw")) }
    }

    func tagged(_ number: Int64) throws -> String { "Re: " + (try XCTUnwrap(try outbox(number).first?.subject)) }

    /// Opens ticket `number` for `customer` in the mailbox of `to` and has `agent` resolve it.
    func resolvedTicket(_ number: Int64, customer: String, to: String = "support@example.test", agent: String = "agent1@example.test") throws {
        try deliver(from: customer, to: to, subject: "Problem \(number)", body: "Please help.")
        try deliver(from: agent, subject: try tagged(number), body: "#assign me\n#resolve\nDone.")
    }

    /// The Good/Bad `mailto:` links in the resolved mail's plain text, as (address, subject).
    func links(_ number: Int64) throws -> [(address: String, subject: String)] {
        let text = try XCTUnwrap(try outbox(number, kind: "status-resolved").last?.text)
        return text.split(separator: "\n").compactMap { line in
            guard let open = line.range(of: "<mailto:"), let close = line.range(of: ">", range: open.upperBound..<line.endIndex) else { return nil }
            let url = line[open.upperBound..<close.lowerBound]
            let parts = url.split(separator: "?", maxSplits: 1)
            let subject = parts.count > 1 ? String(parts[1].dropFirst("subject=".count)).removingPercentEncoding ?? "" : ""
            return (String(parts[0]), subject)
        }
    }

    func ratings(_ number: Int64) throws -> [String] {
        try db.query("""
            SELECT e.new_value FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = ? AND e.type = 'rating' ORDER BY e.id
            """, [number]).map { $0.text("new_value") }
    }

    func ticket(_ number: Int64) throws -> TicketRecord { try XCTUnwrap(try TicketStore(db: db).ticket(number: number)) }
    func count(_ table: String) throws -> Int64 { try db.row("SELECT COUNT(*) AS n FROM \(table)")!.int("n") }

    func testTheResolvedMailEndsWithSignedGoodAndBadLinksInTheCustomersLanguage() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        let found = try links(1)
        XCTAssertEqual(found.count, 2)
        XCTAssertTrue(found[0].address.hasPrefix("support+rate-1-good-"), found[0].address)
        XCTAssertTrue(found[1].address.hasPrefix("support+rate-1-bad-"), found[1].address)
        XCTAssertTrue(found[0].subject.hasPrefix("Rating: Good [#1-"), found[0].subject)
        let text = try XCTUnwrap(try outbox(1, kind: "status-resolved").last?.text)
        XCTAssertTrue(text.contains("Bad <mailto:\(found[1].address)?subject="), text)
        XCTAssertTrue(text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(">"), "the mail ends with the links: \(text)")
        let html = try XCTUnwrap(try outbox(1, kind: "status-resolved").last?.html)
        XCTAssertTrue(html.contains("<a href=\"mailto:\(found[0].address)?subject="), html)
        // The billing queue speaks German and has its own address.
        try resolvedTicket(2, customer: "bob@b.test", to: "billing@example.test")
        let german = try links(2)
        XCTAssertTrue(german[0].address.hasPrefix("billing+rate-2-good-"), german[0].address)
        XCTAssertTrue(german[1].subject.hasPrefix("Bewertung: Schlecht [#2-"), german[1].subject)
        XCTAssertTrue(try XCTUnwrap(try outbox(2, kind: "status-resolved").last?.text).contains("Gut <mailto:"))
    }

    func testSwitchedOffTheResolvedMailHasNoLinks() throws {
        makeDesk(extra: #", "satisfaction_links": false"#)
        try resolvedTicket(1, customer: "ann@a.test")
        XCTAssertEqual(try links(1).count, 0)
        let text = try XCTUnwrap(try outbox(1, kind: "status-resolved").last?.text)
        XCTAssertFalse(text.contains("How did we do"), text)
    }

    func testAValidLinkRecordsTheRatingAndItsCommentWithoutReopeningOrMail() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        let (tickets, mails, updated) = (try count("tickets"), try count("outbox"), try ticket(1).updatedAt)
        at(hours: 2)
        let good = try links(1)[0]
        let outcome = try deliver(from: "ann@a.test", to: good.address, subject: good.subject, body: "Quick and friendly, thanks!")
        guard case let .imported(number, row, decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(number, 1)
        XCTAssertEqual(decision, "rating: good for ticket #1 (signed rating address); the ticket stays resolved")
        XCTAssertEqual(try ratings(1), ["good"])
        let rating = try XCTUnwrap(try TicketStore(db: db).lastRating(ticketID: try ticket(1).id))
        XCTAssertEqual(rating.comment, "Quick and friendly, thanks!")
        XCTAssertEqual(rating.actor, "ann@a.test")
        XCTAssertEqual(rating.messageRow, row, "the mail itself is stored with the ticket")
        XCTAssertEqual(try ticket(1).status, .resolved, "not reopened")
        XCTAssertEqual(try ticket(1).updatedAt, updated, "nothing about the ticket changed")
        XCTAssertEqual(try count("tickets"), tickets, "no ticket started")
        XCTAssertEqual(try count("outbox"), mails, "no acknowledgement, no notice")
    }

    func testAForgedMACIsQuarantinedAndChangesNothing() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        let (tickets, mails, events) = (try count("tickets"), try count("outbox"), try count("ticket_events"))
        let forged = "support+rate-1-good-aaaaaaaaaaaaaaaa@example.test"
        let outcome = try deliver(from: "mallory@m.test", to: forged, subject: "Rating: Good " + (try tagged(1)), body: "5 stars")
        guard case let .quarantined(_, reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("signature that does not match"), reason)
        XCTAssertEqual(try ratings(1), [])
        XCTAssertEqual(try ticket(1).status, .resolved)
        XCTAssertEqual(try count("tickets"), tickets, "no ticket started")
        XCTAssertEqual(try count("outbox"), mails)
        XCTAssertEqual(try count("ticket_events"), events)
        XCTAssertEqual(try count("quarantine"), 1, "kept with its bytes for an operator")
    }

    func testARatingWithAnotherTicketsTokenIsQuarantined() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        try resolvedTicket(2, customer: "bob@b.test")
        // Bob's Good link, its ticket number changed to Ann's ticket.
        let bobs = try links(2)[0].address
        let retargeted = bobs.replacingOccurrences(of: "+rate-2-", with: "+rate-1-")
        let outcome = try deliver(from: "bob@b.test", to: retargeted, subject: "Rating", body: "Bad service for Ann")
        guard case .quarantined = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(try ratings(1), [])
        XCTAssertEqual(try ratings(2), [])
    }

    func testTwoRatingsBothRecordedAndTheLastCounts() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        let both = try links(1)
        at(hours: 1); try deliver(from: "ann@a.test", to: both[0].address, subject: both[0].subject, body: "Good at first.")
        at(hours: 3); try deliver(from: "ann@a.test", to: both[1].address, subject: both[1].subject, body: "It broke again, changed my mind.")
        XCTAssertEqual(try ratings(1), ["good", "bad"])
        let events = try TicketStore(db: db).events(ticketID: try ticket(1).id).filter { $0.type == "rating" }
        XCTAssertEqual(events.last?.oldValue, "good", "the second replaces the first")
        let r = try report()
        XCTAssertEqual(r.ratings, 1, "once per ticket")
        XCTAssertEqual(r.satisfaction, 0)
        XCTAssertEqual(try ticket(1).status, .resolved)
    }

    func testAnAutoReplyToARatingAddressRecordsNothing() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        let mails = try count("outbox")
        let outcome = try deliver(from: "ann@a.test", to: try links(1)[0].address, subject: "Out of office", body: "I am away until Monday.",
                                  headers: "Auto-Submitted: auto-replied\n")
        guard case let .imported(_, _, decision) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(decision.contains("not a rating; nothing recorded"), decision)
        XCTAssertEqual(try ratings(1), [])
        XCTAssertEqual(try ticket(1).status, .resolved)
        XCTAssertEqual(try count("outbox"), mails, "no mail to an autoresponder")
    }

    func report() throws -> Report {
        let from = Self.start - 9 * 3_600, to = from + 3 * 86_400
        return ReportBuilder.build(try ReportStore(db: db).input(from: from, to: to), from: from, to: to, granularity: .day, now: to)
    }

    /// Hand-computed: agent1 resolves tickets 1 (support, Good on day 1) and 2 (support, Bad on day 2);
    /// agent2 resolves 3 (billing, Good on day 2, after a Bad on day 1) and 4 (billing, unrated).
    func testTheReportShowsSatisfactionPerAgentQueueAndPeriod() throws {
        try resolvedTicket(1, customer: "ann@a.test")
        try resolvedTicket(2, customer: "bob@b.test")
        try resolvedTicket(3, customer: "cyd@c.test", to: "billing@example.test", agent: "agent2@example.test")
        try resolvedTicket(4, customer: "dee@d.test", to: "billing@example.test", agent: "agent2@example.test")
        func rate(_ n: Int64, _ i: Int) throws {
            let l = try links(n)[i]
            guard case .imported = try deliver(from: "x@x.test", to: l.address, subject: l.subject, body: "") else { return XCTFail("rating \(n)") }
        }
        at(hours: 2); try rate(1, 0); try rate(3, 1)
        at(hours: 26); try rate(2, 1); try rate(3, 0)
        let r = try report()
        XCTAssertEqual(r.ratings, 3)
        XCTAssertEqual(try XCTUnwrap(r.satisfaction), 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(r.periods.map(\.ratingsGood), [1, 1, 0], "day 1: ticket 1; day 2: ticket 3 (its day-1 Bad replaced)")
        XCTAssertEqual(r.periods.map(\.ratingsBad), [0, 1, 0])
        let agents = Dictionary(uniqueKeysWithValues: r.agents.map { ($0.agent, $0) })
        XCTAssertEqual(agents["agent1@example.test"]?.satisfaction, 0.5)
        XCTAssertEqual(agents["agent1@example.test"]?.ratings, 2)
        XCTAssertEqual(agents["agent2@example.test"]?.satisfaction, 1)
        XCTAssertEqual(agents["agent2@example.test"]?.ratings, 1)
        let queues = Dictionary(uniqueKeysWithValues: r.queues.map { ($0.name, $0) })
        XCTAssertEqual(queues["support"]?.satisfaction, 0.5)
        XCTAssertEqual(queues["billing"]?.satisfaction, 1)
        XCTAssertEqual(queues["billing"]?.ratings, 1)
        // A range ending before ticket 3's second rating sees its first one (Bad).
        let dayOne = ReportBuilder.build(try ReportStore(db: db).input(from: Self.start - 9 * 3_600, to: Self.start + 15 * 3_600),
                                         from: Self.start - 9 * 3_600, to: Self.start + 15 * 3_600, granularity: .day, now: Self.start)
        XCTAssertEqual(dayOne.ratings, 2)
        XCTAssertEqual(dayOne.satisfaction, 0.5)
        // Narrowed to one queue.
        let billing = ReportBuilder.build(try ReportStore(db: db).input(from: Self.start - 9 * 3_600, to: Self.start + 63 * 3_600, queue: "billing"),
                                          from: Self.start - 9 * 3_600, to: Self.start + 63 * 3_600, granularity: .day, now: Self.start)
        XCTAssertEqual(billing.ratings, 1)
        XCTAssertEqual(billing.satisfaction, 1)
    }
}
