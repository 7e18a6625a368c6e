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
    static let spamRule = #"[{"name": "lottery", "when": {"subject": {"contains": "prize"}}, "then": {"spam": true}}]"#
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    static func config(rules: String) -> String {
        """
        {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
         "agents": [{"email": "agent1@example.test"}],
         "queues": [{"name": "support", "address": "support@example.test"}],
         "rules": \(rules)}
        """
    }

    func makeDesk(rules: String = "[]") throws {
        clock = FakeClock(Date(timeIntervalSince1970: TimeInterval(Self.start)))
        (db, intake) = try MemoryIntake.make(config: Self.config(rules: rules), clock: clock,
                                             signingKey: SigningKey(hex: String(repeating: "cd", count: 32))!)
    }

    func deliver(from: String, subject: String, headers: String = "", to intake: Intake? = nil) throws {
        uid += 1
        let text = "From: \(from)\nTo: support@example.test\nSubject: \(subject)\nMessage-ID: <c\(uid)@example.test>\n\(headers)\nHello.\n"
        _ = try (intake ?? self.intake).ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                                               key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    /// Each inbound message's class as the store reads it.
    func classes(in db: Database? = nil) throws -> [String?] {
        let db = db ?? self.db!, store = TicketStore(db: db)
        return try db.query("SELECT id FROM messages WHERE direction = 'in' ORDER BY id").map { try store.message(row: $0.int("id"))?.messageClass }
    }

    func mix(of db: Database? = nil) throws -> Report.MessageMix {
        let from = Self.start - 9 * 3_600, to = from + 86_400
        return ReportBuilder.build(try ReportStore(db: db ?? self.db).input(from: from, to: to), from: from, to: to, granularity: .day, now: to).messages
    }

    /// A desk with a spam rule: a human mail, an out-of-office, a mailing-list mail and one the rule marks.
    func deliverMix() throws {
        try deliver(from: "ann@a.test", subject: "Printer")
        try deliver(from: "bob@b.test", subject: "Away", headers: "Auto-Submitted: auto-replied\n")
        try deliver(from: "news@list.test", subject: "Weekly news", headers: "List-Id: <news.list.test>\nPrecedence: list\n")
        try deliver(from: "win@lottery.test", subject: "You won a prize")
    }

    /// `deliverMix` on a desk with the spam rule, plus a mail of our own and one we sent.
    /// Returns the row of the one we sent.
    func deliverMixWithOwnAndSentMail() throws -> Int64 {
        try makeDesk(rules: Self.spamRule)
        try deliverMix()
        let store = TicketStore(db: db)
        try store.addMessage(ticketID: nil, direction: "in", messageID: "own@example.test", sha256: "o", raw: [], fromAddress: "support@example.test",
                             subject: "ours", sentAt: nil, decision: "our own mail", messageClass: "our-own", now: clock.unixSeconds())
        return try store.addMessage(ticketID: 1, direction: "out", messageID: "ack@example.test", sha256: "a", raw: [],
                                    fromAddress: "support@example.test", subject: "ack", sentAt: nil, decision: nil, now: clock.unixSeconds())
    }

    /// The migrations of the releases before the class column (v1 to v17).
    static let beforeTheClassColumn = Migrator(migrations: Array(Schema.migrator.migrations.prefix { $0.id != "v18-add-message-class" }))

    /// This desk's mail as a release before the class column kept it: a store made by the real
    /// migrations up to v17 (v7's trigger counts each message by its decision text), holding the
    /// same tickets, messages (decision, no class) and rule events.
    func storeBeforeTheClassColumn() throws -> Database {
        let old = try Database(path: ":memory:")
        try Self.beforeTheClassColumn.migrate(old, now: 0)
        let from = TicketStore(db: db), to = TicketStore(db: old)
        for row in try db.query("SELECT id FROM tickets ORDER BY id") {
            let t = try XCTUnwrap(try from.ticket(id: row.int("id")))
            let copy = try to.createTicket(subject: t.subject, requester: t.requester, queue: t.queue, priority: t.priority, status: t.status,
                                           actor: "intake", now: t.createdAt)
            XCTAssertEqual(copy.id, t.id)
        }
        for row in try db.query("SELECT id FROM messages ORDER BY id") {
            let m = try XCTUnwrap(try from.message(row: row.int("id")))
            let copy = try to.addMessage(ticketID: m.ticketID, direction: m.direction, messageID: m.messageID, sha256: m.sha256, raw: [],
                                         fromAddress: m.fromAddress, subject: m.subject, sentAt: nil, decision: m.decision, now: m.createdAt)
            XCTAssertEqual(copy, m.id)
        }
        for row in try db.query("SELECT id FROM tickets ORDER BY id") {
            for e in try from.events(ticketID: row.int("id")) where e.type == "rule" {
                try to.addEvent(ticketID: e.ticketID, messageRow: e.messageRow, type: e.type, field: e.field, oldValue: e.oldValue,
                                newValue: e.newValue, actor: e.actor, reason: e.reason, now: e.createdAt)
            }
        }
        return old
    }

    func testTheIntakeStoresEachMessagesClassAndARulesSpamMark() throws {
        try makeDesk(rules: Self.spamRule)
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
        let sent = try deliverMixWithOwnAndSentMail()
        let old = try storeBeforeTheClassColumn()
        XCTAssertEqual(try old.row("SELECT messages FROM message_daily WHERE class = 'human'")?.int("messages"), 2, "v7 counted the spam mail as human")
        try Schema.migrator.migrate(old, now: 0)
        XCTAssertEqual(try classes(in: old), ["human", "auto-reply", "list", "spam", "our-own"])
        XCTAssertNil(try TicketStore(db: old).message(row: sent)?.messageClass, "mail we sent has no class")
        XCTAssertEqual(try old.row("SELECT COUNT(*) AS n FROM messages WHERE class IS NOT NULL")?.int("n"), 2,
                       "only the spam mark and our own mail are written; the rest is read from the decision")
        XCTAssertEqual(try mix(of: old), try mix(), "the same mix as the desk that stored each class")
        let (_, upgraded) = try MemoryIntake.make(config: Self.config(rules: Self.spamRule), clock: clock, db: old)
        try deliver(from: "cyd@c.test", subject: "Out of office", headers: "Auto-Submitted: auto-replied\n", to: upgraded)
        XCTAssertEqual(try mix(of: old).autoReply, 2, "the new trigger counts by the class column")
        XCTAssertEqual(try classes(in: old).last, "auto-reply")
    }

    /// v18 as it first shipped (until 97648a0, same id; its SQL hash is checked below): it wrote
    /// the class into every inbound row and recounted `message_daily` from it. Stores that ran it
    /// are out there.
    static let v18AsFirstShipped = Migration("v18-add-message-class", sql: """
        -- What kind of sender an inbound message came from, set by the intake: human,
        -- auto-reply, bounce, list, spam (a rule's `spam` action), our-own; NULL for mail we
        -- sent. Older rows are read from the decision text the class used to be appended to,
        -- and from the `rule` events of rules that marked their message spam.
        ALTER TABLE messages ADD COLUMN class TEXT;
        UPDATE messages SET class =
            CASE WHEN ticket_id IS NULL THEN 'our-own'
                 WHEN decision LIKE '%; bounce%' THEN 'bounce' WHEN decision LIKE '%; auto-reply%' THEN 'auto-reply'
                 WHEN decision LIKE '%; list%' THEN 'list' ELSE 'human' END
        WHERE direction = 'in';
        UPDATE messages SET class = 'spam' WHERE direction = 'in' AND id IN (
            SELECT message_row FROM ticket_events
            WHERE type = 'rule' AND message_row IS NOT NULL AND (' ' || new_value || ' ') LIKE '% spam %');
        DROP TRIGGER message_daily_on_insert;
        CREATE TRIGGER message_daily_on_insert AFTER INSERT ON messages
        WHEN new.direction = 'in' AND new.ticket_id IS NOT NULL BEGIN
            INSERT INTO message_daily (day, class, messages) VALUES (new.created_at / 86400, COALESCE(new.class, 'human'), 1)
            ON CONFLICT (day, class) DO UPDATE SET messages = messages + 1;
        END;
        DELETE FROM message_daily;
        INSERT INTO message_daily (day, class, messages)
        SELECT created_at / 86400 AS d, COALESCE(class, 'human') AS c, COUNT(*)
        FROM messages WHERE direction = 'in' AND ticket_id IS NOT NULL GROUP BY d, c;
        """)

    /// What today's readers give for a store: every message by row and by ticket, the daily counts, the mix.
    func reads(_ db: Database) throws -> (messages: [MessageRecord], byTicket: [[MessageRecord]], daily: [String], mix: Report.MessageMix) {
        let store = TicketStore(db: db)
        let messages = try db.query("SELECT id FROM messages ORDER BY id").map { try XCTUnwrap(try store.message(row: $0.int("id"))) }
        let byTicket = try db.query("SELECT id FROM tickets ORDER BY id").map { try store.messages(ticketID: $0.int("id")) }
        let daily = try db.query("SELECT day, class, messages FROM message_daily ORDER BY day, class")
            .map { "\($0.int("day")) \($0.text("class")) \($0.int("messages"))" }
        return (messages, byTicket, daily, try mix(of: db))
    }

    func testAStoreThatRanTheFirstV18ReadsTheSameAsOneThatRanTodays() throws {
        _ = try deliverMixWithOwnAndSentMail()
        let first = try storeBeforeTheClassColumn(), today = try storeBeforeTheClassColumn()
        try Migrator(migrations: Self.beforeTheClassColumn.migrations + [Self.v18AsFirstShipped]).migrate(first, now: 0)
        try Schema.migrator.migrate(first, now: 0)
        try Schema.migrator.migrate(today, now: 0)
        XCTAssertEqual(SHA256.hex(Array(Self.v18AsFirstShipped.sql.utf8)), "f91a3fa6033b108aea71920074377b9cac68517f2ce857f55d172e823c0a486c",
                       "the SQL that shipped first, to the byte")
        XCTAssertEqual(try first.row("SELECT COUNT(*) AS n FROM messages WHERE class IS NOT NULL")?.int("n"), 5, "the first v18 wrote every inbound row")
        XCTAssertEqual(try today.row("SELECT COUNT(*) AS n FROM messages WHERE class IS NOT NULL")?.int("n"), 2)
        var a = try reads(first), b = try reads(today)
        XCTAssertEqual(a.messages, b.messages)
        XCTAssertEqual(a.byTicket, b.byTicket)
        XCTAssertEqual(a.daily, b.daily)
        XCTAssertEqual(a.mix, b.mix)
        XCTAssertEqual(a.messages.filter { $0.direction == "in" }.map(\.messageClass), ["human", "auto-reply", "list", "spam", "our-own"])
        XCTAssertEqual(Set(a.messages.filter { $0.direction == "out" }.map(\.messageClass)), [nil], "mail we sent has no class")
        XCTAssertEqual(a.mix, try mix(), "both read as the desk that stored each class")
        // And both go on the same once the intake takes in more mail.
        for db in [first, today] {
            let (_, intake) = try MemoryIntake.make(config: Self.config(rules: Self.spamRule), clock: clock, db: db)
            uid = 100
            try deliver(from: "cyd@c.test", subject: "Out of office", headers: "Auto-Submitted: auto-replied\n", to: intake)
            try deliver(from: "win@lottery.test", subject: "Another prize", to: intake)
        }
        a = try reads(first)
        b = try reads(today)
        XCTAssertEqual(a.messages, b.messages)
        XCTAssertEqual(a.byTicket, b.byTicket)
        XCTAssertEqual(a.daily, b.daily)
        XCTAssertEqual(a.mix, b.mix)
        XCTAssertEqual(a.mix.autoReply, 2)
        XCTAssertEqual(a.mix.spam, 2)
    }
}
