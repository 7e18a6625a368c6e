import Foundation
import Store
import TestSupport
import Ticketing
import Transport
import XCTest

/// Issue "Routing rules and assignment" end to end: customers' mail goes through the real
/// Postfix into the real Dovecot, `postdesk run --once` routes it, with the clock set by the test.
final class RoutingIntegrationTests: XCTestCase {
    var servers: MailServers!
    var desk: TestDesk!
    /// Monday 2026-12-07 10:00 UTC.
    let clock = FakeClock(Date(timeIntervalSince1970: 1_796_601_600 + 10 * 3600))

    override func setUpWithError() throws {
        servers = try MailServers.shared()
        desk = try TestDesk(servers: servers, user: "support")
        // The desk's config, with routing added: support and billing queues, three agents working
        // 09:00-17:00 UTC on weekdays, a VIP customer whose account manager is agent1.
        var config = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: desk.configPath))) as? [String: Any])
        let hours = "mon-fri 09:00-17:00"
        config["queues"] = [["name": "support", "address": servers.address("support")], ["name": "billing"]]
        config["agents"] = [["email": servers.address("agent1"), "groups": ["support"], "hours": hours, "time_zone": "UTC"],
                            ["email": servers.address("agent2"), "groups": ["billing"], "hours": hours, "time_zone": "UTC"],
                            ["email": servers.address("agent3"), "groups": ["billing"], "hours": hours, "time_zone": "UTC"]]
        config["groups"] = ["support", "billing"]
        config["customers"] = [["match": servers.address("customer1"), "vip": true, "agent": servers.address("agent1")]]
        config["rules"] = [
            ["name": "vip", "stop": true, "when": ["customer.vip": true],
             "then": ["priority": "urgent", "assign": ["group": "support", "strategy": "least_open", "prefer": "account_manager"]]],
            ["name": "invoices", "when": ["subject": ["contains": "invoice"]],
             "then": ["queue": "billing", "assign": ["group": "billing", "strategy": "least_open"]]],
            ["name": "everyone-else", "when": ["not": ["subject": ["contains": "invoice"]]], "then": ["assign": ["group": "support"]]],
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: desk.configPath))
    }

    /// Sends a customer's mail through Postfix and waits for Dovecot to have it.
    func send(from user: String, subject: String) throws {
        let before = try servers.rawMessages(of: "support").count
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        defer { smtp.close() }
        let text = "From: \(servers.address(user))\r\nTo: \(servers.address("support"))\r\nSubject: \(subject)\r\n"
            + "Message-ID: <\(UUID().uuidString)@customer.test>\r\n\r\nPlease help.\r\n"
        _ = try smtp.send(from: servers.address(user), to: [servers.address("support")], message: Array(text.utf8))
        try servers.awaitInbox("support", count: before + 1)
    }

    func runOnce() {
        let r = desk.cli(["run", "--once"], clock: clock)
        XCTAssertEqual(r.code, 0, r.err)
    }

    func ticket(subject: String) throws -> TicketRecord {
        let store = TicketStore(db: try desk.store())
        return try XCTUnwrap(try store.tickets(limit: 100).first { $0.subject == subject }, subject)
    }

    func testAVIPsMailArrivesUrgentAndAssignedToHerAccountManager() throws {
        try send(from: "customer1", subject: "Production is down")
        runOnce()
        let t = try ticket(subject: "Production is down")
        XCTAssertEqual(t.priority, .urgent)
        XCTAssertEqual(t.assignee, servers.address("agent1"))
        let events = try TicketStore(db: try desk.store()).events(ticketID: t.id)
        XCTAssertTrue(events.contains { $0.type == "rule" && $0.field == "vip" }, "the hit is an event naming the rule")
        XCTAssertTrue(desk.cli(["show", String(t.number)]).out.contains("** rule vip"), "show prints it")
    }

    func testAnInvoiceQuestionLandsInBillingWithTheLeastLoadedAgent() throws {
        try send(from: "customer2", subject: "First invoice question")
        runOnce()
        XCTAssertEqual(try ticket(subject: "First invoice question").assignee, servers.address("agent2"))
        try send(from: "customer3", subject: "Second invoice question")
        runOnce()
        let t = try ticket(subject: "Second invoice question")
        XCTAssertEqual(t.queue, "billing")
        XCTAssertEqual(t.assignee, servers.address("agent3"), "agent2 already holds one open billing ticket")
    }

    func testASaturdayMailStaysUnassignedUntilMondayNine() throws {
        clock.advance(by: 5 * 86_400) // Saturday 10:00
        try send(from: "customer2", subject: "Weekend trouble")
        runOnce()
        XCTAssertNil(try ticket(subject: "Weekend trouble").assignee)
        clock.advance(by: 86_400 + 22 * 3600 + 59 * 60) // Monday 08:59
        runOnce()
        XCTAssertNil(try ticket(subject: "Weekend trouble").assignee, "still before working hours")
        clock.advance(by: 60) // Monday 09:00
        runOnce()
        XCTAssertEqual(try ticket(subject: "Weekend trouble").assignee, servers.address("agent1"))
        runOnce()
        let t = try ticket(subject: "Weekend trouble")
        XCTAssertEqual(try TicketStore(db: try desk.store()).events(ticketID: t.id).filter { $0.type == "assignee" }.count, 1,
                       "assigned once")
    }
}
