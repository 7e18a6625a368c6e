import Daemon
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// Each inbound message keeps the kind of sender the intake saw (`messages.class`), and the
/// reports' message mix reads it: spam only when a rule said so, else "not classified".
final class MessageClassTests: XCTestCase {
    static let start: Int64 = 1_793_577_600 + 9 * 3_600
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    func makeDesk(rules: String = "[]") throws {
        clock = FakeClock(Date(timeIntervalSince1970: TimeInterval(Self.start)))
        db = try Store.open(path: ":memory:", now: clock.unixSeconds())
        let config = try Config.parse(Array("""
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "agent1@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"}],
             "rules": \(rules)}
            """.utf8), file: "test.json")
        let clock = self.clock!
        intake = Intake(db: db, config: config, clock: clock, log: Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in }),
                        signingKey: SigningKey(hex: String(repeating: "cd", count: 32))!)
    }

    func deliver(from: String, subject: String, headers: String = "") throws {
        uid += 1
        let text = "From: \(from)\nTo: support@example.test\nSubject: \(subject)\nMessage-ID: <c\(uid)@example.test>\n\(headers)\nHello.\n"
        _ = try intake.ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                              key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    /// Each inbound message's class as the store reads it.
    func classes() throws -> [String?] {
        let store = TicketStore(db: db)
        return try db.query("SELECT id FROM messages WHERE direction = 'in' ORDER BY id").map { try store.message(row: $0.int("id"))?.messageClass }
    }

    func mix() throws -> Report.MessageMix {
        let from = Self.start - 9 * 3_600, to = from + 86_400
        return ReportBuilder.build(try ReportStore(db: db).input(from: from, to: to), from: from, to: to, granularity: .day, now: to).messages
    }

    /// A desk with a spam rule: a human mail, an out-of-office, a mailing-list mail and one the rule marks.
    func deliverMix() throws {
        try deliver(from: "ann@a.test", subject: "Printer")
        try deliver(from: "bob@b.test", subject: "Away", headers: "Auto-Submitted: auto-replied\n")
        try deliver(from: "news@list.test", subject: "Weekly news", headers: "List-Id: <news.list.test>\nPrecedence: list\n")
        try deliver(from: "win@lottery.test", subject: "You won a prize")
    }

    func testTheIntakeStoresEachMessagesClassAndARulesSpamMark() throws {
        try makeDesk(rules: #"[{"name": "lottery", "when": {"subject": {"contains": "prize"}}, "then": {"spam": true}}]"#)
        try deliverMix()
        XCTAssertEqual(try classes(), ["human", "auto-reply", "list", "spam"])
        let m = try mix()
        XCTAssertEqual(m.total, 4)
        XCTAssertEqual(m.human, 1)
        XCTAssertEqual(m.autoReply, 1)
        XCTAssertEqual(m.list, 1)
        XCTAssertEqual(m.spam, 1, "the rule's spam mark is counted")
    }

    func testWithoutASpamMarkSpamIsNotClassified() throws {
        try makeDesk()
        try deliverMix()
        XCTAssertEqual(try classes(), ["human", "auto-reply", "list", "human"])
        XCTAssertNil(try mix().spam, "no rule marks spam: the share is unknown, not 0")
        var input = try ReportStore(db: db).input(from: Self.start - 9 * 3_600, to: Self.start + 86_400)
        input.spamClassified = true
        XCTAssertEqual(ReportBuilder.build(input, from: Self.start - 9 * 3_600, to: Self.start + 86_400, granularity: .day,
                                           now: Self.start).messages.spam, 0, "a configured spam rule that marked nothing: 0")
    }

    func testAfterTheMigrationOlderMessagesReadTheirClassFromTheDecisionAndRuleEvents() throws {
        try makeDesk(rules: #"[{"name": "lottery", "when": {"subject": {"contains": "prize"}}, "then": {"spam": true}}]"#)
        try deliverMix()
        let store = TicketStore(db: db)
        try store.addMessage(ticketID: nil, direction: "in", messageID: "own@example.test", sha256: "o", raw: [], fromAddress: "support@example.test",
                             subject: "ours", sentAt: nil, decision: "our own mail", messageClass: "our-own", now: clock.unixSeconds())
        let sent = try store.addMessage(ticketID: 1, direction: "out", messageID: "ack@example.test", sha256: "a", raw: [],
                                        fromAddress: "support@example.test", subject: "ack", sentAt: nil, decision: nil, now: clock.unixSeconds())
        let before = try mix()
        // The store as it was before the class column: v7's trigger counted by the decision text.
        try db.executeScript("""
            DROP TRIGGER message_daily_on_insert;
            ALTER TABLE messages DROP COLUMN class;
            CREATE TRIGGER message_daily_on_insert AFTER INSERT ON messages
            WHEN new.direction = 'in' AND new.ticket_id IS NOT NULL BEGIN
                INSERT INTO message_daily (day, class, messages) VALUES (new.created_at / 86400,
                    CASE WHEN new.decision LIKE '%; bounce%' THEN 'bounce' WHEN new.decision LIKE '%; auto-reply%' THEN 'auto-reply'
                         WHEN new.decision LIKE '%; list%' THEN 'list' ELSE 'human' END, 1)
                ON CONFLICT (day, class) DO UPDATE SET messages = messages + 1;
            END;
            DELETE FROM message_daily;
            INSERT INTO message_daily (day, class, messages)
            SELECT created_at / 86400 AS d,
                CASE WHEN decision LIKE '%; bounce%' THEN 'bounce' WHEN decision LIKE '%; auto-reply%' THEN 'auto-reply'
                     WHEN decision LIKE '%; list%' THEN 'list' ELSE 'human' END AS c, COUNT(*)
            FROM messages WHERE direction = 'in' AND ticket_id IS NOT NULL GROUP BY d, c;
            DELETE FROM schema_migrations WHERE id = 'v18-add-message-class';
            """)
        XCTAssertEqual(try db.row("SELECT messages FROM message_daily WHERE class = 'human'")?.int("messages"), 2, "the spam mail counted as human")
        try Schema.migrator.migrate(db, now: 0)
        XCTAssertEqual(try classes(), ["human", "auto-reply", "list", "spam", "our-own"])
        XCTAssertNil(try store.message(row: sent)?.messageClass, "mail we sent has no class")
        XCTAssertEqual(try db.row("SELECT COUNT(*) AS n FROM messages WHERE class IS NOT NULL")?.int("n"), 2,
                       "only the spam mark and our own mail are written; the rest is read from the decision")
        XCTAssertEqual(try mix(), before)
        try deliver(from: "cyd@c.test", subject: "Out of office", headers: "Auto-Submitted: auto-replied\n")
        XCTAssertEqual(try mix().autoReply, 2, "the new trigger counts by the class column")
        XCTAssertEqual(try classes().last, "auto-reply")
    }
}
