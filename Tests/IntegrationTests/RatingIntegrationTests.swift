import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import Transport
import XCTest

/// Satisfaction by e-mail end to end on the real Postfix and Dovecot: the resolved mail arrives
/// in the customer's mailbox with the Good and Bad links; her mail to the Good link goes through
/// Postfix to the support mailbox (plus-addressed), the daemon records the rating without
/// reopening, and `postdesk show` and `postdesk report` show it.
final class RatingIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws { servers = try MailServers.shared() }

    func testTheCustomersReplyToTheGoodLinkIsRecordedAndReported() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        try servers.reset(user: "customer2")
        let customer = servers.address("customer2"), agent = servers.address("agent1"), support = servers.address("support")
        try desk.append([servers.mail(from: "Carol <\(customer)>", to: support, subject: "Scanner jams", id: "carol-1@customer.test",
                                      body: "The scanner jams on every page.")])
        desk.runOnce()
        let ack = try XCTUnwrap(try servers.awaitInbox("customer2", count: 1).first)
        let tag = String((ack.subject ?? "").prefix { $0 != "]" }) + "]"
        try desk.append([servers.mail(from: agent, to: support, subject: "Re: \(tag) Scanner jams", id: "agent-1@example.test",
                                      headers: try desk.replyHandle(agent: agent), body: "#resolve\n\nCleaned the rollers.")])
        desk.runOnce()

        // The resolved mail, read back over IMAP, ends with the two links.
        let resolved = try XCTUnwrap(try servers.awaitInbox("customer2", count: 2).last)
        let text = try XCTUnwrap(resolved.text)
        XCTAssertTrue(text.contains("Cleaned the rollers."), text)
        let links = text.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let open = line.range(of: "<mailto:"), line.hasSuffix(">") else { return nil }
            return (String(line[..<open.lowerBound]).trimmingCharacters(in: .whitespaces), String(line[open.upperBound...].dropLast()))
        }
        XCTAssertEqual(links.map(\.0), ["Good", "Bad"], text)
        let good = try XCTUnwrap(links.first?.1)
        let parts = good.split(separator: "?", maxSplits: 1)
        let address = String(parts[0])
        let subject = try XCTUnwrap(String(parts[1].dropFirst("subject=".count)).removingPercentEncoding)
        XCTAssertTrue(address.hasPrefix("support+rate-1-good-") && address.hasSuffix("@\(servers.domain)"), address)
        XCTAssertTrue(try XCTUnwrap(resolved.html).contains("href=\"mailto:\(address)?subject="), "the HTML part links the same address")

        // Her mail client sends the prefilled mail, through Postfix, to the plus-address.
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        defer { smtp.close() }
        _ = try smtp.send(from: customer, to: [address],
                          message: servers.mail(from: "Carol <\(customer)>", to: address, subject: subject, id: "carol-rating@customer.test",
                                                body: "Fast and friendly, thank you."))
        XCTAssertNotNil(try servers.awaitDelivery(to: "support") { String(decoding: $0, as: UTF8.self).contains("carol-rating@customer.test") },
                        "Postfix delivers support+rate-…@ to the support mailbox")
        let before = try desk.outboxKinds(to: customer)
        desk.runOnce()

        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM ticket_events WHERE type = 'rating' AND new_value = 'good'"), 1)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets"), 1, "no ticket started")
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM tickets WHERE status = 'resolved'"), 1, "not reopened")
        let show = desk.cli(["show", "1"])
        XCTAssertEqual(show.code, 0, show.err)
        XCTAssertTrue(show.out.contains("rating:    good by \(customer)") && show.out.contains("Fast and friendly"), show.out)
        let explain = desk.cli(["explain", "carol-rating@customer.test"])
        XCTAssertTrue(explain.out.contains("rating: good for ticket #1 (signed rating address); the ticket stays resolved"), explain.out + explain.err)
        let report = desk.cli(["report", "--from", "2026-01-01", "--to", "2027-12-31", "--by", "month", "--json"])
        XCTAssertEqual(report.code, 0, report.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [String: Any])
        let satisfaction = try XCTUnwrap(json["satisfaction"] as? [String: Any])
        XCTAssertEqual(satisfaction["rate"] as? Double, 1)
        XCTAssertEqual(satisfaction["ratings"] as? Int, 1)
        let agents = try XCTUnwrap(json["agents"] as? [[String: Any]])
        XCTAssertEqual(agents.first { $0["agent"] as? String == agent }?["satisfaction"] as? Double, 1)
        let queues = try XCTUnwrap(json["queues"] as? [[String: Any]])
        XCTAssertEqual(queues.first?["satisfaction"] as? Double, 1)
        XCTAssertEqual(try desk.outboxKinds(to: customer), before, "a rating sends the customer nothing")
    }
}
