import Foundation
import MIME
import Store
import TestSupport
import Transport
import XCTest

/// Issue "Agents by e-mail, safely" end to end on the real Postfix and Dovecot: a From header
/// naming an agent is not identity. Forgeries change nothing and relay nothing; the real agent,
/// answering her own copy of a notice, is taken at her word.
final class AgentProofIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    /// A fresh desk with one ticket from customer1; returns the desk, the customer's tagged subject
    /// and the Message-ID of agent1's notice.
    func openTicket(extra: String = "") throws -> (desk: TestDesk, tagged: String, noticeID: String) {
        let desk = try TestDesk(servers: servers, user: "support", extra: extra)
        for u in ["customer1", "customer3", "agent1"] { try servers.reset(user: u) }
        try servers.send(from: "customer1", """
            From: Ann Customer <\(servers.address("customer1"))>
            To: \(servers.address("support"))
            Subject: Card payment failed
            Message-ID: <pay-1@customer.test>

            My card was declined twice.
            """)
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("customer1", count: 1)
        try servers.awaitInbox("agent1", count: 1)
        let tagged = try XCTUnwrap(try servers.inbox("customer1").first?.subject)
        let notice = try XCTUnwrap(try servers.inbox("agent1").first)
        return (desk, tagged, try XCTUnwrap(notice.messageID))
    }

    func runOnce(_ desk: TestDesk, log: String) throws {
        let pid = try desk.spawn(["run", "--once"], logFile: log)
        XCTAssertEqual(TestDesk.wait(pid), 0)
    }

    func testForgedAgentRepliesChangeNothingRelayNothingAndAreLogged() throws {
        let (desk, tagged, noticeID) = try openTicket()
        let agent = servers.address("agent1")
        // A stranger: the agent's name in From, the ticket number guessed, no token.
        try servers.send(from: "customer3", """
            From: Alice Agent <\(agent)>
            To: \(servers.address("support"))
            Subject: Re: [#1] Card payment failed
            Message-ID: <forged-1@evil.test>

            #resolve
            Please confirm your card number to mallory@evil.test.
            """)
        // The customer, holding her tag token, pretends to be the agent to raise her priority.
        try servers.send(from: "customer1", """
            From: Alice Agent <\(agent)>
            To: \(servers.address("support"))
            Subject: Re: \(tagged)
            Message-ID: <forged-2@customer.test>

            #priority urgent
            #assign \(servers.address("customer1"))
            Done, upgraded.
            """)
        try servers.awaitInbox("support", count: 3)
        let log = desk.directory.appendingPathComponent("forged.log").path
        try runOnce(desk, log: log)
        let db = try desk.store()
        let ticket = try XCTUnwrap(try TicketStore(db: db).ticket(number: 1))
        XCTAssertEqual(ticket.status, .new, "no #resolve taken")
        XCTAssertEqual(ticket.priority, .normal, "no #priority taken")
        XCTAssertNil(ticket.assignee)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM outbox WHERE kind = 'reply'"), 0, "nothing relayed")
        let decisions = try db.query("SELECT decision FROM messages WHERE direction = 'in' ORDER BY id").map { $0.text("decision") }
        XCTAssertTrue(decisions[1].hasPrefix("new: stranger mentions #1 (agent not proven"), decisions[1])
        XCTAssertTrue(decisions[2].contains("taken as a customer's message"), decisions[2])
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "event=agent.unverified").count - 1, 2, text)
        XCTAssertEqual(try desk.outboxKinds(to: servers.address("customer1")), ["ack"],
                       "the customer got her acknowledgement and nothing in the agent's name")
        XCTAssertEqual(try servers.inbox("customer1").count, 1)
        XCTAssertFalse(try servers.inbox("customer1").contains { ($0.text ?? "").contains("mallory") })
        let warned = try servers.inbox("agent1").filter { ($0.text ?? "").contains("was not taken as yours") }
        XCTAssertFalse(warned.isEmpty, "the real agent hears of it")
        XCTAssertEqual(desk.cli(["explain", "<forged-2@customer.test>"]).out.contains("agent not proven"), true)
    }

    func testTheRealAgentAnsweringHerNoticeResolvesAndRelaysWithoutLeakingHerHandle() throws {
        let (desk, tagged, noticeID) = try openTicket()
        try servers.send(from: "agent1", """
            From: Alice Agent <\(servers.address("agent1"))>
            To: \(servers.address("support"))
            Subject: Re: \(tagged)
            Message-ID: <real-1@agents.test>
            In-Reply-To: <\(noticeID)>
            References: <pay-1@customer.test> <\(noticeID)>

            #resolve
            Your card works again; the bank lifted the block.
            """)
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        XCTAssertEqual(try TicketStore(db: try desk.store()).ticket(number: 1)?.status, .resolved)
        try servers.awaitInbox("customer1", count: 2)
        let reply = try XCTUnwrap(try servers.inbox("customer1").first { ($0.text ?? "").contains("bank lifted the block") })
        XCTAssertFalse((reply.text ?? "").contains("#resolve"))
        XCTAssertFalse(reply.references.contains(String(noticeID)), "an agent's handle never reaches a customer")
        XCTAssertTrue(desk.cli(["explain", "<real-1@agents.test>"]).out.contains("agent proof: reply handle in In-Reply-To"))
    }

    func testATrustedAuthenticationResultsHeaderProvesTheAgentOnlyWhenItsServerIsTrusted() throws {
        let reply = { (tagged: String, id: String) in """
            Authentication-Results: mx.example.test; dmarc=pass header.from=\(self.servers.domain)
            From: Alice Agent <\(self.servers.address("agent1"))>
            To: \(self.servers.address("support"))
            Subject: Re: \(tagged)
            Message-ID: <\(id)@agents.test>

            #priority high
            Looking into it.
            """ }
        // Not trusted: refused.
        var (desk, tagged, _) = try openTicket()
        try servers.send(from: "agent1", reply(tagged, "untrusted"))
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        XCTAssertEqual(try TicketStore(db: try desk.store()).ticket(number: 1)?.priority, .normal)
        // Trusted: taken.
        (desk, tagged, _) = try openTicket(extra: "\"trusted_authserv_ids\": [\"mx.example.test\"]")
        try servers.send(from: "agent1", reply(tagged, "trusted"))
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        XCTAssertEqual(try TicketStore(db: try desk.store()).ticket(number: 1)?.priority, .high)
        XCTAssertTrue(desk.cli(["explain", "<trusted@agents.test>"]).out.contains("authenticated by mx.example.test dmarc=pass"))
    }
}
