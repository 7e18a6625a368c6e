import Foundation
import MIME
import Store
import TestSupport
import Transport
import XCTest

/// Issue "SLA clocks, escalation and auto-close" end to end: real Postfix and Dovecot, the daemon
/// (`postdesk run --once`, in process) driven by a fake clock. A ticket assigned to agent1 runs
/// past its first-response deadline: agent1 and the lead (agent2, `escalate_to`) get one warning
/// and one breach each, however often the daemon runs, and the metrics file shows the breach.
final class SLAIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    func send(from: String, to: String, _ text: String) throws {
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        defer { smtp.close() }
        _ = try smtp.send(from: servers.address(from), to: [servers.address(to)],
                          message: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    func waitFor(_ user: String, count: Int, where match: @escaping (Message) -> Bool = { _ in true }) -> [Message] {
        var found: [Message] = []
        for _ in 0..<200 {
            found = servers.deliveredMessages(to: user).map { Message.parse($0) }.filter(match)
            if found.count >= count { break }
            usleep(50_000)
        }
        return found
    }

    /// The shipped templates' subjects: "[#1-…] SLA due soon: …", "[#1-…] SLA breached: …".
    static func isSLA(_ kind: String) -> (Message) -> Bool {
        { ($0.subject ?? "").contains(kind == "warning" ? "] SLA due soon: " : "] SLA breached: ") }
    }

    func slaMails(_ user: String, _ kind: String) -> [Message] {
        servers.deliveredMessages(to: user).map { Message.parse($0) }.filter(Self.isSLA(kind))
    }

    func testABreachReachesTheAssigneeAndTheLeadOnceAndTheMetricsShowIt() throws {
        for user in ["customer1", "agent1", "agent2"] { try servers.reset(user: user) }
        let desk = try TestDesk(servers: servers, user: "support")
        let metrics = desk.directory.appendingPathComponent("postdesk.prom").path
        try desk.writeConfig(extra: """
            "metrics_file": "\(metrics)",
            "sla_policies": {"p1": {"calendar": "24x7", "first_response": "1h", "warn_at": 0.5,
                                    "escalate_to": "\(servers.address("agent2"))"}},
            "sla_defaults": {"*": "p1"}
            """)
        let clock = FakeClock()
        let minute: TimeInterval = 60

        try send(from: "customer1", to: "support", """
            From: Ann Customer <\(servers.address("customer1"))>
            To: \(servers.address("support"))
            Subject: Invoice missing
            Message-ID: <sla-first@customer.test>

            Where is my invoice?
            """)
        _ = waitFor("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"], clock: clock).code, 0)
        let notice = try XCTUnwrap(waitFor("agent1", count: 1).first, "agent1 heard of the new ticket")
        let tagged = try XCTUnwrap(notice.subject)

        // agent1 takes the ticket but does not answer yet: no first response.
        clock.advance(by: 5 * minute)
        try send(from: "agent1", to: "support", """
            From: \(servers.address("agent1"))
            To: \(servers.address("support"))
            Subject: Re: \(tagged)
            Message-ID: <sla-take@agent.test>
            In-Reply-To: <\(try XCTUnwrap(notice.messageID))>

            #assign me
            """)
        _ = waitFor("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"], clock: clock).code, 0)
        XCTAssertEqual(try desk.store().row("SELECT assignee FROM tickets WHERE number = 1")?.text("assignee"), servers.address("agent1"))

        clock.advance(by: 26 * minute)
        XCTAssertEqual(desk.cli(["run", "--once"], clock: clock).code, 0)
        XCTAssertEqual(waitFor("agent1", count: 1, where: Self.isSLA("warning")).count, 1)
        XCTAssertEqual(waitFor("agent2", count: 1, where: Self.isSLA("warning")).count, 1)

        clock.advance(by: 30 * minute)
        XCTAssertEqual(desk.cli(["run", "--once"], clock: clock).code, 0)
        clock.advance(by: 7 * 86_400)
        XCTAssertEqual(desk.cli(["run", "--once"], clock: clock).code, 0, "a restart a week later")
        XCTAssertEqual(waitFor("agent1", count: 1, where: Self.isSLA("breach")).count, 1)
        XCTAssertEqual(waitFor("agent2", count: 1, where: Self.isSLA("breach")).count, 1)
        usleep(500_000)
        for user in ["agent1", "agent2"] {
            XCTAssertEqual(slaMails(user, "warning").count, 1, "\(user): one warning")
            XCTAssertEqual(slaMails(user, "breach").count, 1, "\(user): one breach")
        }
        let breach = try XCTUnwrap(slaMails("agent2", "breach").first)
        XCTAssertTrue(breach.subject?.contains("Invoice missing") ?? false, breach.subject ?? "")
        XCTAssertNotNil(breach.header("Auto-Submitted"), "automatic mail")

        let prom = try String(contentsOfFile: metrics, encoding: .utf8)
        XCTAssertTrue(prom.contains("\npostdesk_sla_breaches 1\n"), prom)
        let show = desk.cli(["show", "1"], clock: clock)
        XCTAssertTrue(show.out.contains("first response overdue by 7d"), show.out)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM ticket_events WHERE type = 'sla-breach'"), 1)
    }
}
