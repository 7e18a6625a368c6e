import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// Notifications as the intake queues them: the customer's language, her thread, one mail per message.
final class NotificationIntakeTests: XCTestCase {
    var clock: FakeClock!
    var db: Database!
    var intake: Intake!
    var uid: Int64 = 0

    func start(_ extra: String = "") {
        clock = FakeClock()
        (db, intake) = try! MemoryIntake.make(config: """
            {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "olga@example.test", "name": "Ольга Петрова"}],
             "queues": [{"name": "support", "address": "support@example.test"}, {"name": "kyiv", "address": "kyiv@example.test", "language": "uk"}]\(extra)}
            """, clock: clock, signingKey: SigningKey(hex: String(repeating: "ab", count: 32))!)
    }

    override func setUp() { start() }

    func deliver(_ text: String) throws {
        uid += 1
        _ = try intake.ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                              key: DeliveryKey(mailbox: "support", uidValidity: 1, uid: uid, action: "seen"))
    }

    /// The agent's mails answer her notice: the reply handle proves they are hers.
    func mail(from: String, to: String = "support@example.test", subject: String, id: String, headers: String = "", body: String) -> String {
        var headers = headers
        if from.hasPrefix("olga@"), let number = AgentReplyHandle.ticket(inSubject: subject) {
            headers += AgentReplyHandle.header(keyHex: String(repeating: "ab", count: 32), ticket: number, agent: from)
        }
        return "From: \(from)\nTo: \(to)\nSubject: \(subject)\nMessage-ID: <\(id)>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\(headers)\n\(body)\n"
    }

    func sent() throws -> [(kind: String, to: [String], message: Message)] {
        try OutboxStore(db: db).due(now: clock.unixSeconds() + 100_000).map { ($0.kind, $0.recipients, Message.parse($0.raw)) }
    }

    func testARussianCustomerHearsInRussianThreadedOnWhatSheHas() throws {
        try deliver(mail(from: "Анна Смирнова <anna@customer.test>", subject: "Принтер не печатает", id: "anna-1@customer.test",
                         headers: "Content-Language: ru\n", body: "Здравствуйте, принтер не печатает."))
        let ack = try XCTUnwrap(try sent().first { $0.kind == "ack" })
        XCTAssertEqual(ack.to, ["anna@customer.test"])
        XCTAssertTrue(ack.message.subject?.hasPrefix("[#1-") ?? false, ack.message.subject ?? "")
        XCTAssertTrue(ack.message.subject?.contains("Обращение получено: Принтер не печатает") ?? false, ack.message.subject ?? "")
        XCTAssertTrue(ack.message.text?.contains("Здравствуйте, Анна Смирнова!") ?? false, ack.message.text ?? "")
        XCTAssertEqual(ack.message.inReplyTo, ["anna-1@customer.test"])
        XCTAssertNotNil(ack.message.html, "with its HTML alternative")

        let tag = String(ack.message.subject!.prefix { $0 != "]" }) + "]"
        try deliver(mail(from: "olga@example.test", subject: "Re: \(tag) Принтер не печатает", id: "olga-client-1@example.test",
                         headers: "In-Reply-To: <agent-notice@x>\n", body: "#assign me\n#status pending\n\nКакая модель принтера?"))
        let pending = try XCTUnwrap(try sent().first { $0.kind == "status-pending" })
        XCTAssertTrue(pending.message.text?.contains("Какая модель принтера?") ?? false)
        XCTAssertTrue(pending.message.text?.contains("мы ждём вашего ответа на вопрос выше") ?? false, pending.message.text ?? "")
        XCTAssertEqual(try sent().filter { $0.to.contains("anna@customer.test") }.map(\.kind), ["ack", "status-pending"],
                       "one mail for the reply, the status and the assignment")
        // Threaded on what she has: her message and our acknowledgement, never the agent's client id.
        XCTAssertEqual(pending.message.inReplyTo, [ack.message.messageID!])
        XCTAssertEqual(pending.message.references, ["anna-1@customer.test", ack.message.messageID!])
        XCTAssertFalse(pending.message.references.contains("olga-client-1@example.test"))
    }

    func testTheQueuesDefaultLanguageIsUsedWhenTheMailSaysNothing() throws {
        try deliver(mail(from: "olena@customer.test", to: "kyiv@example.test", subject: "Принтер", id: "o-1@c", body: "Не друкує."))
        let ack = try XCTUnwrap(try sent().first { $0.kind == "ack" })
        XCTAssertTrue(ack.message.text?.contains("Дякуємо, що написали нам") ?? false, ack.message.text ?? "")
    }

    func testAcceptedIntoWorkNamesTheAssigneeByName() throws {
        try deliver(mail(from: "jo@customer.test", subject: "Printer", id: "jo-1@c", body: "Broken."))
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-1@s", body: "#status open\n#assign olga@example.test"))
        let kinds = try sent().map(\.kind)
        XCTAssertTrue(kinds.contains("status-open"), "\(kinds)")
        let open = try XCTUnwrap(try sent().first { $0.kind == "status-open" })
        XCTAssertTrue(open.message.text?.contains("accepted into work by Ольга Петрова") ?? false, open.message.text ?? "")
    }

    /// "Nothing is mailed to an address with Auto-Submitted history": the loop defence remembers
    /// who sent automatic mail; automatic mail to them waits for a person to write, or for time.
    func testAnAddressThatSentAnAutoReplyGetsNoAutomaticMailUntilAPersonWritesThereOrItExpires() throws {
        func customerMails() throws -> [String] { try sent().filter { $0.to == ["jo@customer.test"] }.map(\.kind) }
        try deliver(mail(from: "jo@customer.test", subject: "Printer", id: "jo-1@c", body: "Broken."))
        // Her vacation notice answers our acknowledgement (our signed Message-ID).
        let ackID = try XCTUnwrap(try sent().first { $0.kind == "ack" }?.message.messageID)
        try deliver(mail(from: "jo@customer.test", subject: "Auto: Re: [#1] Printer", id: "jo-away@c",
                         headers: "In-Reply-To: <\(ackID)>\nAuto-Submitted: auto-replied\n", body: "I am away until Monday."))
        let record = try XCTUnwrap(try AutomaticSenderStore(db: db).sender("jo@customer.test"))
        XCTAssertEqual(record.messages, 1)
        XCTAssertTrue(record.reason.contains("auto-submitted: auto-replied"), record.reason)

        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-1@s", body: "#resolve"))
        XCTAssertEqual(try customerMails(), ["ack"], "the resolved notice is automatic: withheld")
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-2@s", body: "#open\n\nSorry, one more question: which tray?"))
        XCTAssertEqual(try customerMails(), ["ack", "status-open"], "a person's reply always goes")

        clock.advance(by: 3600)
        try deliver(mail(from: "jo@customer.test", subject: "Re: [#1] Printer", id: "jo-2@c", body: "The lower one."))
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-3@s", body: "#resolve"))
        XCTAssertEqual(try customerMails(), ["ack", "status-open", "status-resolved"], "she wrote herself: the flag is over")

        clock.advance(by: 60)
        try deliver(mail(from: "jo@customer.test", subject: "Auto: Re: [#1] Printer", id: "jo-away-2@c",
                         headers: "References: <\(ackID)>\nAuto-Submitted: auto-replied\n", body: "I am away again."))
        XCTAssertEqual(try AutomaticSenderStore(db: db).sender("jo@customer.test")?.messages, 2)
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-4@s", body: "#open"))
        XCTAssertEqual(try customerMails().last, "status-resolved", "flagged again: the notice of reopening is withheld")
        clock.advance(by: 31 * 86_400)
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-5@s", body: "#resolve"))
        XCTAssertEqual(try customerMails().count, 4)
        XCTAssertEqual(try customerMails().last, "status-resolved", "30 days on, the record has expired")
    }

    /// From: is whatever the sender typed: a stranger's "auto-reply" in her name that answers none
    /// of our mail (only the ticket number, which is sequential) must not silence her.
    func testAForgedAutoReplyThatAnswersNoneOfOurMailSilencesNobody() throws {
        func customerMails() throws -> [String] { try sent().filter { $0.to == ["jo@customer.test"] }.map(\.kind) }
        try deliver(mail(from: "jo@customer.test", subject: "Printer", id: "jo-1@c", body: "Broken."))
        try deliver(mail(from: "jo@customer.test", subject: "Auto: Re: [#1] Printer", id: "forged@evil.test",
                         headers: "Auto-Submitted: auto-replied\n", body: "I am away for a month."))
        XCTAssertNil(try AutomaticSenderStore(db: db).sender("jo@customer.test"), "nothing proves it answers our mail")
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-1@s", body: "#resolve"))
        XCTAssertEqual(try customerMails(), ["ack", "status-resolved"], "her resolved notice still goes")
    }

    func testAutomaticSenderDaysZeroWithholdsNothing() throws {
        start(#", "notifications": {"automatic_sender_days": 0}"#)
        try deliver(mail(from: "jo@customer.test", subject: "Printer", id: "jo-1@c", body: "Broken."))
        // Her vacation notice answers our acknowledgement (our signed Message-ID).
        let ackID = try XCTUnwrap(try sent().first { $0.kind == "ack" }?.message.messageID)
        try deliver(mail(from: "jo@customer.test", subject: "Auto: Re: [#1] Printer", id: "jo-away@c",
                         headers: "In-Reply-To: <\(ackID)>\nAuto-Submitted: auto-replied\n", body: "I am away until Monday."))
        try deliver(mail(from: "olga@example.test", subject: "Re: [#1] Printer", id: "g-1@s", body: "#resolve"))
        XCTAssertEqual(try sent().filter { $0.to == ["jo@customer.test"] }.map(\.kind), ["ack", "status-resolved"])
    }
}
