import Foundation
import MIME
import Store
import TestSupport
import Transport
import XCTest

/// Issue "Threading, lifecycle and loop defence" end to end: mail goes through the real Postfix,
/// lands in the real Dovecot, postdesk answers through Postfix again.
final class ThreadingIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    /// Sends `text` (LF line ends) through Postfix, as a customer's mail client would.
    func messages(to user: String, subjectContaining s: String) throws -> [Message] {
        try servers.inbox(user).filter { $0.subject?.contains(s) == true }
    }

    func testOneCustomerConversationIsOneTicketAndTheVacationResponderDoesNotLoop() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        try servers.reset(user: "customer1")
        try servers.reset(user: "agent1")
        let customer = servers.address("customer1")
        try servers.send(from: "customer1", to: "support", """
            From: Ann Customer <\(customer)>
            To: support@\(servers.domain)
            Subject: Cannot log in
            Message-ID: <first@customer.test>
            Date: Mon, 23 Nov 2026 10:00:00 +0000

            My password reset link expires at once.
            """)
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("customer1", count: 1)
        let acks = try messages(to: "customer1", subjectContaining: "Cannot log in")
        let ack = try XCTUnwrap(acks.first, "the customer got our acknowledgement")
        let tagged = try XCTUnwrap(ack.subject)
        XCTAssertTrue(tagged.hasPrefix("[#1-"), tagged)
        XCTAssertEqual(ack.header("Auto-Submitted"), "auto-replied")
        let ackID = try XCTUnwrap(ack.messageID)

        // Outlook: the tag stays in the subject, no In-Reply-To or References.
        try servers.send(from: "customer1", to: "support", """
            From: Ann Customer <\(customer)>
            To: support@\(servers.domain)
            Subject: AW: \(tagged)
            Message-ID: <outlook@customer.test>
            Thread-Index: AQHZ1234567890

            It says "token expired".
            """)
        // Gmail: only References, and the subject lost its tag.
        try servers.send(from: "customer1", to: "support", """
            From: Ann Customer <\(customer)>
            To: support@\(servers.domain)
            Subject: Re: Cannot log in
            Message-ID: <gmail@customer.test>
            References: <\(ackID)>

            Screenshot attached (not really).
            """)
        // Her vacation responder answers our acknowledgement.
        try servers.send(from: "customer1", to: "support", """
            From: Ann Customer <\(customer)>
            To: support@\(servers.domain)
            Subject: Out of Office: \(tagged)
            Message-ID: <vacation@customer.test>
            In-Reply-To: <\(ackID)>
            Auto-Submitted: auto-replied

            I am on holiday until Monday.
            """)
        try servers.awaitInbox("support", count: 4)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        XCTAssertEqual(try desk.outboxKinds(to: servers.address("support")), [], "nothing we sent can come back to us")
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)

        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 1, "one ticket")
        let db = try desk.store()
        let inbound = try db.query("SELECT decision FROM messages WHERE direction = 'in' ORDER BY id").map { $0.text("decision") }
        XCTAssertEqual(inbound.count, 4, "three customer messages and one auto-reply: \(inbound)")
        XCTAssertEqual(inbound.filter { $0.contains("auto-reply") }.count, 1, "\(inbound)")
        XCTAssertTrue(inbound[1].hasPrefix("subject tag+token"), inbound[1])
        XCTAssertTrue(inbound[2].hasPrefix("references <\(ackID)>"), inbound[2])
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'"), 1, "no acknowledgement for replies, none for the auto-reply")
        XCTAssertEqual(try desk.outboxKinds(to: customer), ["ack"], "no loop: the customer got exactly one mail")
        XCTAssertEqual(try messages(to: "customer1", subjectContaining: "Cannot log in").count, 1)
    }

    func testANaiveAutoresponderIsAnsweredAtMostFiveTimesAndTheLogSaysWhy() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        try servers.reset(user: "customer2")
        let log = desk.directory.appendingPathComponent("loop.log").path
        // customer2 is a robot: every mail it receives is answered with a fresh, untagged mail
        // without any auto-reply header (the worst kind of autoresponder).
        var answered = 0
        try servers.send(from: "customer2", to: "support", "From: robot <\(servers.address("customer2"))>\nSubject: hello\nMessage-ID: <robot-0@robot.test>\n\nhello\n")
        for round in 1...10 {
            try servers.awaitInbox("support", count: round)
            let pid = try desk.spawn(["run", "--once"], logFile: log)
            XCTAssertEqual(TestDesk.wait(pid), 0)
            usleep(300_000)
            let got = try servers.rawMessages(of: "customer2").count
            while answered < got {
                answered += 1
                try servers.send(from: "customer2", to: "support", "From: robot <\(servers.address("customer2"))>\nSubject: Re: your mail \(answered)\nMessage-ID: <robot-\(answered)@robot.test>\n\nThank you for your mail!\n")
            }
            if answered < round { break }
        }
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'"), 5, "the exchange stops at the rate limit")
        XCTAssertEqual(try servers.rawMessages(of: "customer2").count, 5)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "event=notify.suppressed").count - 1, 1, "one log line says why, then silence")
        XCTAssertTrue(text.contains("reason=rate-limit"), text)
    }

    func testTwoPostdesksPointedAtEachOtherStopAfterOneMail() throws {
        let a = try TestDesk(servers: servers, user: "customer2")
        let b = try TestDesk(servers: servers, user: "customer3")
        // Someone at B writes to A; A acknowledges to B; B must not acknowledge the acknowledgement.
        try servers.send(from: "customer3", to: "customer2", "From: \(servers.address("customer3"))\nSubject: Hi A\nMessage-ID: <b-to-a@test>\n\nhello\n")
        for _ in 0..<4 {
            usleep(400_000)
            XCTAssertEqual(a.cli(["run", "--once"]).code, 0)
            usleep(400_000)
            XCTAssertEqual(b.cli(["run", "--once"]).code, 0)
        }
        XCTAssertEqual(try a.count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'"), 1)
        XCTAssertEqual(try b.count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'"), 0, "an acknowledgement is auto-submitted: never acknowledged")
        XCTAssertEqual(try b.count("SELECT COUNT(*) FROM messages WHERE direction = 'in' AND decision LIKE '%auto-reply%'"), 1)
    }
}
