import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import Transport
import XCTest

/// Issue "Notifications as templates" end to end: the customer's mails leave through the real
/// Postfix, land in her real Dovecot mailbox, and are read back over IMAP by our parser.
final class NotificationIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws { servers = try MailServers.shared() }

    func testARussianCustomerGetsEachNoticeInRussianThreadedOnHerFirstMessage() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        try servers.reset(user: "customer1")
        let anna = servers.address("customer1")
        let tagged = { (m: Message) in String((m.subject ?? "").prefix { $0 != "]" }) + "]" }
        try desk.append([servers.mail(from: "Анна Смирнова <\(anna)>", subject: "Принтер не печатает", id: "anna-1@customer.test",
                                      headers: "Content-Language: ru\n", body: "Здравствуйте! Принтер печатает пустые листы.")])
        desk.runOnce()
        let ack = try XCTUnwrap(try servers.awaitInbox("customer1", count: 1).first)
        XCTAssertTrue(ack.subject?.contains("Обращение получено: Принтер не печатает") ?? false, ack.subject ?? "")
        XCTAssertTrue(ack.text?.contains("Здравствуйте, Анна Смирнова!") ?? false, ack.text ?? "")
        XCTAssertEqual(ack.inReplyTo, ["anna-1@customer.test"])
        XCTAssertTrue(ack.defects.isEmpty, "\(ack.defects)")
        let tag = tagged(ack)
        XCTAssertTrue(tag.hasPrefix("[#"), tag)

        let agent = servers.address("agent1")
        let replies: [(String, String)] = [("#assign me", "принято в работу"), ("#status pending\n\nКакая модель принтера?", "Какая модель принтера?"),
                                           ("#resolve\n\nЗаменили картридж.", "Заменили картридж.")]
        for (n, (body, expected)) in replies.enumerated() {
            try desk.append([servers.mail(from: agent, subject: "Re: \(tag) Принтер не печатает", id: "agent-client-\(n)@example.test",
                                          headers: "References: <agent-notice-\(n)@example.test>\n" + desk.replyHandle(agent: agent), body: body)])
            desk.runOnce()
            let got = try servers.awaitInbox("customer1", count: n + 2)
            XCTAssertEqual(got.count, n + 2, "one mail per agent message: \(got.map { $0.subject ?? "" })")
            let last = try XCTUnwrap(got.last)
            XCTAssertTrue(last.text?.contains(expected) ?? false, last.text ?? "")
            XCTAssertEqual(last.references.first, "anna-1@customer.test", "the chain starts at her own first message")
            XCTAssertFalse(last.references.contains { $0.hasPrefix("agent-") }, "never the agent's client ids: \(last.references)")
            XCTAssertEqual(last.inReplyTo, [got[got.count - 2].messageID!], "in reply to the last mail she has")
            XCTAssertTrue(last.subject?.hasPrefix(tag) ?? false, last.subject ?? "")
        }
        let texts = try servers.inbox("customer1").map { $0.text ?? "" }
        XCTAssertTrue(texts[1].contains("им занимается \(agent)"), "the assignment names the agent: \(texts[1])")
        XCTAssertTrue(texts[2].contains("мы ждём вашего ответа"), texts[2])
        XCTAssertTrue(texts[3].contains("решённым") && texts[3].contains("14 дн."), texts[3])
    }

    func testMailWaitsWhilePostfixIsDownAndGoesExactlyOnceWhenItIsBack() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        try servers.reset(user: "customer2")
        let clock = FakeClock(SystemClock().now())
        try servers.control("stop-smtp")
        var restarted = false
        defer { if !restarted { try? servers.control("start-smtp") } }
        try desk.append([servers.mail(from: servers.address("customer2"), subject: "Help", id: "c2-1@customer.test", body: "Please help.")])
        let config = try Config.load(path: desk.configPath)
        let intakeLog = Log(level: .error, timestamps: false, clock: { clock.now() }, sink: { _ in })
        desk.runOnce()   // imports, queues the acknowledgement, fails to connect
        let db = try desk.store()
        XCTAssertEqual(try OutboxStore(db: db).count(status: "pending"), 2, "acknowledgement and agent notice wait")
        let sender = OutboxSender(db: db, sender: CurlMailSender(config: config.smtp!, environment: [:], log: intakeLog), clock: clock, log: intakeLog)
        XCTAssertEqual(sender.flush().sent, 0, "not yet due, and Postfix is down")
        clock.advance(by: 3600)
        let down = sender.flush()
        XCTAssertEqual(down.sent, 0)
        XCTAssertEqual(down.deferred, 1, "the first refusal to connect stops the flush")
        try servers.control("start-smtp")
        restarted = true
        clock.advance(by: 3600)
        XCTAssertEqual(sender.flush().sent, 2)
        clock.advance(by: 3600)
        XCTAssertEqual(sender.flush().sent, 0)
        let got = try servers.awaitInbox("customer2", count: 1)
        XCTAssertEqual(try desk.outboxKinds(to: servers.address("customer2")), ["ack"], "one row for her, however often it was tried")
        XCTAssertEqual(try OutboxStore(db: db).count(status: "sent"), 2, "sent, so no later flush sends it again")
        XCTAssertEqual(got.count, 1, "exactly once: \(got.map { $0.subject ?? "" })")
    }

    func testA550ForOneOfTwoRecipientsMarksItAndTheOtherGetsTheMail() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        try servers.reset(user: "customer3")
        let customer = servers.address("customer3")
        let rejected = servers.address("rejected")
        try desk.append([Array("From: \(customer)\r\nTo: \(servers.address("support"))\r\nCc: \(rejected)\r\nSubject: Two of us\r\nMessage-ID: <c3-1@customer.test>\r\n\r\nHello\r\n".utf8)])
        desk.runOnce()
        let ack = try XCTUnwrap(try servers.awaitInbox("customer3", count: 1).first)
        let tag = String((ack.subject ?? "").prefix { $0 != "]" }) + "]"
        try desk.append([servers.mail(from: servers.address("agent1"), subject: "Re: \(tag) Two of us", id: "a-1@example.test",
                                      headers: desk.replyHandle(agent: servers.address("agent1")), body: "We are on it.")])
        desk.runOnce()
        let got = try servers.awaitInbox("customer3", count: 2)
        XCTAssertEqual(got.count, 2)
        XCTAssertTrue(got.last?.text?.contains("We are on it.") ?? false)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM undeliverable_addresses WHERE address = '\(rejected)'"), 1)
        let refused = try desk.store().row("SELECT refused FROM outbox WHERE kind = 'status-open'")?.text("refused") ?? ""
        XCTAssertTrue(refused.hasPrefix("\(rejected) 550 5.1.1"), refused)
        XCTAssertEqual(desk.cli(["outbox", "--failed"]).out, "outbox is empty\n")
    }
}
