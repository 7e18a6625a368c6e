import Foundation
import MIME
import Store
import TestSupport
import Transport
import XCTest

/// Issue "Agents by e-mail, safely": what agents do from their mail client, end to end on the
/// real Postfix and Dovecot.
final class AgentWorkflowIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
    }

    func send(from: String, _ message: OutgoingMessage) throws {
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        defer { smtp.close() }
        _ = try smtp.send(from: servers.address(from), to: [servers.address("support")], message: MessageWriter().write(message))
    }

    func mail(from user: String, subject: String, id: String, text: String) -> OutgoingMessage {
        OutgoingMessage(from: MailboxAddress(name: nil, address: servers.address(user)), to: [MailboxAddress(name: nil, address: servers.address("support"))],
                        subject: subject, date: Date(timeIntervalSince1970: 1_796_000_000), messageID: id, text: text)
    }

    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    func testFilesTravelBothWaysByteForByte() throws {
        let desk = try TestDesk(servers: servers, user: "support")
        for u in ["customer1", "agent1"] { try servers.reset(user: u) }
        let photo = Self.bytes(30_000, seed: 1)
        var first = mail(from: "customer1", subject: "Broken screen", id: "files-1@customer.test", text: "See the photo.\n")
        first.attachments = [OutgoingAttachment(filename: "Fotó of the screen.jpg", contentType: "image/jpeg", data: photo)]
        try send(from: "customer1", first)
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent1", count: 1)
        let notice = try XCTUnwrap(try servers.inbox("agent1").first)
        XCTAssertEqual(notice.attachments.map(\.filename), ["Fotó of the screen.jpg"])
        XCTAssertTrue(notice.attachments.first?.data == photo, "the agent's notice carries the customer's file unchanged")

        let pdf = Array("%PDF-1.7\n".utf8) + Self.bytes(200_000, seed: 2) + Array("\n%%EOF\n".utf8)
        var answer = mail(from: "agent1", subject: "Re: \(notice.subject ?? "")", id: "files-2@agents.test",
                          text: "#pending\nHere is the repair form; please sign and return it.\n")
        answer.inReplyTo = [try XCTUnwrap(notice.messageID)]
        answer.attachments = [OutgoingAttachment(filename: "Repair form (2026).pdf", contentType: "application/pdf", data: pdf)]
        try send(from: "agent1", answer)
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("customer1", count: 2)
        let reply = try XCTUnwrap(try servers.inbox("customer1").first { $0.attachments.contains { $0.contentType == "application/pdf" } })
        XCTAssertTrue((reply.text ?? "").contains("please sign and return it"), reply.text ?? "")
        XCTAssertEqual(reply.attachments.map(\.filename), ["Repair form (2026).pdf"])
        XCTAssertTrue(reply.attachments[0].data == pdf, "the customer gets the agent's PDF byte for byte")
        XCTAssertEqual(try TicketStore(db: try desk.store()).ticket(number: 1)?.status, .pending)
    }

    func testANoticeOverTheSizeCapListsTheFilesInstead() throws {
        let desk = try TestDesk(servers: servers, user: "support", extra: "\"agent_attachment_limit\": 1000")
        try servers.reset(user: "agent1")
        var first = mail(from: "customer1", subject: "Logs", id: "cap-1@customer.test", text: "Logs attached.\n")
        first.attachments = [OutgoingAttachment(filename: "server.log", contentType: "text/plain", data: Array(repeating: 0x41, count: 5000))]
        try send(from: "customer1", first)
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent1", count: 1)
        let notice = try XCTUnwrap(try servers.inbox("agent1").first)
        XCTAssertTrue(notice.attachments.isEmpty)
        let text = notice.text ?? ""
        XCTAssertTrue(text.contains("1. server.log (text/plain, 4 KB)"), text)
        XCTAssertTrue(text.contains("postdesk attachment "), text)
    }

    func testANoteReachesTheOtherAgentAndNotTheCustomer() throws {
        let desk = try TestDesk(servers: servers, user: "support", agents: ["agent1", "agent2"])
        for u in ["customer1", "agent1", "agent2"] { try servers.reset(user: u) }
        try send(from: "customer1", mail(from: "customer1", subject: "VPN down", id: "note-1@customer.test", text: "No VPN since 9:00.\n"))
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent1", count: 1)
        try servers.awaitInbox("customer1", count: 1)
        let notice = try XCTUnwrap(try servers.inbox("agent1").first)
        var note = mail(from: "agent1", subject: "Re: \(notice.subject ?? "")", id: "note-2@agents.test",
                        text: "#note\nHer account was locked by the password policy; unlocking.\n")
        note.inReplyTo = [try XCTUnwrap(notice.messageID)]
        try send(from: "agent1", note)
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent2", count: 2)
        XCTAssertTrue(try servers.inbox("agent2").contains { ($0.text ?? "").contains("locked by the password policy") }, "the other agent gets the note")
        XCTAssertEqual(try desk.outboxKinds(to: servers.address("customer1")), ["ack"], "the customer got her acknowledgement only")
        XCTAssertEqual(try servers.inbox("customer1").count, 1)
        XCTAssertFalse(try servers.inbox("customer1").contains { ($0.text ?? "").contains("password policy") })
        XCTAssertTrue(desk.cli(["show", "1"]).out.contains("** note"), "postdesk show lists the note")
    }

    /// A desk with two agents and `plus_addressing`, customer1's new ticket on it, and the notice agent1 got.
    func ticketWithNotice(subject: String, id: String, text: String) throws -> (TestDesk, Message) {
        let desk = try TestDesk(servers: servers, user: "support", extra: "\"plus_addressing\": true", agents: ["agent1", "agent2"])
        for u in ["customer1", "agent1", "agent2"] { try servers.reset(user: u) }
        try send(from: "customer1", mail(from: "customer1", subject: subject, id: id, text: text))
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent1", count: 1)
        return (desk, try XCTUnwrap(try servers.inbox("agent1").first))
    }

    /// With `plus_addressing`, every agent's notice names `support+N-note@`; the agent answering
    /// her notice to that address (the MTA delivers it to support@) writes an internal note.
    func testTheNoteAddressOnANoticeMakesANoteForTheOtherAgentOnly() throws {
        let (desk, notice) = try ticketWithNotice(subject: "Badge broken", id: "plus-1@customer.test", text: "My badge does not open the door.\n")
        try servers.awaitInbox("customer1", count: 1)
        let address = servers.address("support").replacingOccurrences(of: "support@", with: "support+1-note@")
        XCTAssertTrue((notice.text ?? "").contains("Internal note to the other agents (never the customer): \(address)"), notice.text ?? "")
        XCTAssertFalse(try servers.rawMessages(of: "customer1").contains { String(decoding: $0, as: UTF8.self).contains("-note@") },
                       "the customer's acknowledgement does not name it")

        var note = mail(from: "agent1", subject: "Re: \(notice.subject ?? "")", id: "plus-2@agents.test", text: "Her badge expired on Friday; renewing.\n")
        note.to = [MailboxAddress(name: nil, address: address)]
        note.inReplyTo = [try XCTUnwrap(notice.messageID)]
        let smtp = CurlSMTPClient(endpoint: servers.smtpEndpoint())
        _ = try smtp.send(from: servers.address("agent1"), to: [address], message: MessageWriter().write(note))
        smtp.close()
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent2", count: 2)
        XCTAssertTrue(try servers.inbox("agent2").contains { ($0.text ?? "").contains("badge expired on Friday") }, "the other agent gets the note")
        XCTAssertEqual(try desk.outboxKinds(to: servers.address("customer1")), ["ack"], "the customer got her acknowledgement only")
        XCTAssertEqual(try servers.inbox("customer1").count, 1)
        XCTAssertTrue(desk.cli(["show", "1"]).out.contains("** note"), "postdesk show lists the note")
    }

    /// An agent replying in HTML from a client that quotes our notice below: the customer gets
    /// text + the agent's HTML with the inline image as a related part, and none of the notice.
    func testAnHTMLReplyReachesTheCustomerAsHTMLWithItsImageAndWithoutTheQuotedNotice() throws {
        let (desk, notice) = try ticketWithNotice(subject: "Wi-Fi slow", id: "html-1@customer.test", text: "The Wi-Fi is slow upstairs.\n")
        let quoted = (notice.text ?? "").split(separator: "\n").map { "> \($0)" }.joined(separator: "\n")
        let quotedHTML = (notice.text ?? "").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\n", with: "<br>")
        let chart = Self.bytes(12_000, seed: 3)
        var answer = mail(from: "agent1", subject: "Re: \(notice.subject ?? "")", id: "html-2@agents.test",
                          text: "Hello,\nthe new access point is up; see the coverage map.\n\nOn Mon, Support wrote:\n\(quoted)\n")
        answer.html = """
            <div dir="ltr"><div>Hello,</div><div>the <b>new</b> access point is up; see the <i>coverage map</i>.</div>
            <div><img src="cid:map@agents.test" width="320"></div></div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Support wrote:<br></div>
            <blockquote class="gmail_quote" style="margin:0 0 0 .8ex">\(quotedHTML)</blockquote></div>
            """
        answer.attachments = [OutgoingAttachment(filename: "map.png", contentType: "image/png", data: chart, contentID: "map@agents.test", isInline: true)]
        answer.inReplyTo = [try XCTUnwrap(notice.messageID)]
        try send(from: "agent1", answer)
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("customer1", count: 2)
        let raw = try XCTUnwrap(try servers.rawMessages(of: "customer1").first { String(decoding: $0, as: UTF8.self).contains("access point") })
        let reply = Message.parse(raw)
        let html = try XCTUnwrap(reply.html)
        XCTAssertTrue(html.contains("the <b>new</b> access point is up; see the <i>coverage map</i>."), html)
        XCTAssertTrue(html.contains("<img src=\"cid:map@agents.test\" width=\"320\">"), html)
        let text = String(decoding: raw, as: UTF8.self)
        for leak in ["-note@", "+1-", "pd.1.a.", "Reply to this mail to answer the customer", "gmail_quote"] {
            XCTAssertFalse(text.contains(leak), "\(leak) reached the customer")
        }
        XCTAssertTrue(text.contains("multipart/alternative") && text.contains("multipart/related"))
        let image = try XCTUnwrap(reply.attachments.first)
        XCTAssertTrue(image.data == chart, "the image arrives byte for byte")
        XCTAssertTrue(image.isInline)
        XCTAssertEqual(image.contentID, "map@agents.test")
    }

    func testAMacroExpandsInTheCustomersReply() throws {
        let macros = Fixtures.temporaryDirectory("macros")
        try Data("Dear customer, your refund for ticket {{ticket.number}} is on its way.\n{{agent.name}}\n".utf8)
            .write(to: macros.appendingPathComponent("refund.txt"))
        let desk = try TestDesk(servers: servers, user: "support", extra: "\"macros_directory\": \"\(macros.path)\"")
        for u in ["customer1", "agent1"] { try servers.reset(user: u) }
        try send(from: "customer1", mail(from: "customer1", subject: "Refund?", id: "macro-1@customer.test", text: "Where is my money?\n"))
        try servers.awaitInbox("support", count: 1)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("agent1", count: 1)
        let notice = try XCTUnwrap(try servers.inbox("agent1").first)
        var answer = mail(from: "agent1", subject: "Re: \(notice.subject ?? "")", id: "macro-2@agents.test", text: "#macro refund\n")
        answer.inReplyTo = [try XCTUnwrap(notice.messageID)]
        try send(from: "agent1", answer)
        try servers.awaitInbox("support", count: 2)
        XCTAssertEqual(desk.cli(["run", "--once"]).code, 0)
        try servers.awaitInbox("customer1", count: 2)
        let reply = try XCTUnwrap(try servers.inbox("customer1").first { ($0.text ?? "").contains("your refund for ticket 1 is on its way") })
        XCTAssertFalse((reply.text ?? "").contains("#macro"))
    }
}
