import Foundation
import MIME
import Store
import TestSupport
import XCTest

/// Merging by mail, end to end on the real Postfix and Dovecot: an agent answers her notice of a
/// duplicate with `#merge 1`; the duplicate's customer is told once where her request went, and
/// her later reply to the old tag lands on the ticket it was merged into.
final class TicketMergeIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    func testAnAgentsMergeByMailForwardsTheOldTagToTheNewTicket() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        for u in ["customer1", "customer2", "agent1"] { try servers.reset(user: u) }
        try servers.send(from: "customer1", """
            From: Ann Customer <\(servers.address("customer1"))>
            To: \(servers.address("support"))
            Subject: Printer on floor 3 prints blank pages
            Message-ID: <printer-1@customer.test>

            Since this morning every page comes out blank.
            """)
        try servers.send(from: "customer2", """
            From: Ben Customer <\(servers.address("customer2"))>
            To: \(servers.address("support"))
            Subject: Blank pages from the floor 3 printer
            Message-ID: <printer-2@customer.test>

            Same here, all blank.
            """)
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("customer2", count: 1)
        try servers.awaitInbox("agent1", count: 2)
        let oldTag = try XCTUnwrap(try servers.inbox("customer2").first?.subject)
        XCTAssertTrue(oldTag.contains("[#2-"), oldTag)
        let notice = try XCTUnwrap(try servers.inbox("agent1").first { ($0.subject ?? "").contains("[#2-") })

        // The agent answers her notice of #2 (her reply handle is the proof).
        try servers.send(from: "agent1", """
            From: Alice Agent <\(servers.address("agent1"))>
            To: \(servers.address("support"))
            Subject: Re: \(notice.subject ?? "")
            Message-ID: <merge-1@agents.test>
            In-Reply-To: <\(try XCTUnwrap(notice.messageID))>

            #merge 1 same printer as Ann's
            """)
        try servers.awaitInbox("support", count: 3)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        let store = TicketStore(db: try desk.store())
        XCTAssertEqual(try store.ticket(number: 2)?.mergedInto, 1)
        try servers.awaitInbox("customer2", count: 2)
        let told = try servers.inbox("customer2")
        XCTAssertEqual(told.count, 2, "her acknowledgement and one mail about the merge")
        // Delivery order in the mailbox is not arrival order: pick the mail that is not her acknowledgement.
        let merged = try XCTUnwrap(told.first { !($0.subject ?? "").contains("[#2-") }, told.map { $0.subject ?? "" }.description)
        XCTAssertTrue((merged.subject ?? "").contains("[#1-"), "the mail carries the ticket her request continues as: \(merged.subject ?? "")")
        XCTAssertTrue((merged.text ?? "").contains("has been joined with"), merged.text ?? "")
        XCTAssertTrue(desk.cli(["show", "2"]).out.contains("merged into #1"))

        // Later she answers her old acknowledgement's subject, tag and token of #2, no references.
        try servers.send(from: "customer2", """
            From: Ben Customer <\(servers.address("customer2"))>
            To: \(servers.address("support"))
            Subject: Re: \(oldTag)
            Message-ID: <printer-2b@customer.test>

            It now prints half pages.
            """)
        try servers.awaitInbox("support", count: 4)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        let landed = try XCTUnwrap(try store.messages(messageID: "printer-2b@customer.test").first)
        XCTAssertEqual(landed.ticketID, try store.ticket(number: 1)?.id, "the old tag forwards to #1")
        XCTAssertTrue((landed.decision ?? "").contains("#2 merged into #1"), landed.decision ?? "")
        XCTAssertEqual(try store.messages(ticketID: try XCTUnwrap(store.ticket(number: 2)).id).count, 0, "the stub stays empty")
        XCTAssertTrue(desk.cli(["explain", "<printer-2b@customer.test>"]).out.contains("merged into #1"))
        usleep(300_000)
        XCTAssertEqual(try servers.inbox("customer2").count, 2, "no further automatic mail to her")
    }
}
