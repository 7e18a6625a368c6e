import Daemon
import Foundation
import MIME
import Store
import TestSupport
import Ticketing
import XCTest

/// An action from the command line leaves the same events and outbox rows as the agent's
/// e-mail would: the two desks below get the same story, one by mail, one by the CLI path.
final class AgentActionsTests: XCTestCase {
    final class Desk {
        let clock = FakeClock(Date(timeIntervalSince1970: 1_793_610_000))
        let db: Database
        let intake: Intake
        var uid: Int64 = 0

        init() throws {
            (db, intake) = try MemoryIntake.make(config: """
                {"smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
                 "agents": [{"email": "agent1@example.test"}, {"email": "agent2@example.test"}],
                 "queues": [{"name": "support", "address": "support@example.test"}]}
                """, clock: clock, signingKey: SigningKey(hex: String(repeating: "ef", count: 32))!)
        }

        @discardableResult
        func mail(from: String, subject: String, body: String) throws -> IntakeOutcome {
            uid += 1
            // An agent answers her own notice: its reply handle proves the mail is hers.
            var headers = ""
            if from.hasPrefix("agent"), let number = AgentReplyHandle.ticket(inSubject: subject) {
                headers = AgentReplyHandle.header(keyHex: String(repeating: "ef", count: 32), ticket: number, agent: from)
            }
            let text = "From: \(from)\nTo: support@example.test\nSubject: \(subject)\nMessage-ID: <d\(uid)@example.test>\n\(headers)\n\(body)\n"
            return try intake.ingest(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), key: nil)
        }

        func taggedSubject(_ number: Int64) throws -> String {
            let raw = try db.row("SELECT o.raw FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ? ORDER BY o.id LIMIT 1",
                                 [number])!.blob("raw")
            return "Re: " + Message.parse(raw).subject!
        }

        /// Events and outbox rows, without ids and message rows (which differ by design).
        func story() throws -> [String] {
            try db.query("SELECT type, field, old_value, new_value, actor, created_at FROM ticket_events ORDER BY id").map {
                "event \($0.text("type")) \($0.text("field")) \($0.text("old_value")) -> \($0.text("new_value")) by \($0.text("actor")) at \($0.int("created_at"))"
            } + db.query("SELECT kind, recipients, status, created_at FROM outbox ORDER BY id").map {
                "outbox \($0.text("kind")) to \($0.text("recipients")) \($0.text("status")) at \($0.int("created_at"))"
            } + db.query("SELECT number, status, priority, assignee FROM tickets ORDER BY number").map {
                "ticket \($0.int("number")) \($0.text("status")) \($0.text("priority")) \($0.text("assignee"))"
            }
        }
    }

    func testEachActionLeavesWhatTheAgentsMailLeaves() throws {
        let byMail = try Desk(), byCLI = try Desk()
        for desk in [byMail, byCLI] {
            try desk.mail(from: "Ann <ann@customer.test>", subject: "Printer on fire", body: "Help!")
            desk.clock.advance(by: 600)
        }
        let steps: [(mail: String, cli: (Desk) throws -> IntakeOutcome)] = [
            ("#assign agent2@example.test\n#priority high\n", { try $0.intake.agentMail(ticket: 1, agent: "agent1@example.test", body: "#assign agent2@example.test\n#priority high\n") }),
            ("Please switch it off.\n", { try $0.intake.agentMail(ticket: 1, agent: "agent1@example.test", body: "Please switch it off.\n") }),
            ("#status resolved\n", { try $0.intake.agentMail(ticket: 1, agent: "agent1@example.test", body: "#status resolved\n") }),
        ]
        for step in steps {
            try byMail.mail(from: "agent1@example.test", subject: try byMail.taggedSubject(1), body: step.mail)
            guard case .imported(1, _, _) = try step.cli(byCLI) else { return XCTFail("not imported on #1") }
            for desk in [byMail, byCLI] { desk.clock.advance(by: 600) }
        }
        XCTAssertEqual(try byCLI.story(), try byMail.story())
        let kinds = try byCLI.db.query("SELECT kind FROM outbox ORDER BY id").map { $0.text("kind") }
        XCTAssertEqual(kinds, ["ack", "new-ticket", "new-ticket", "status-open", "assigned", "reply", "status-resolved"],
                       "the customer got the reply and the resolution, the new assignee heard of it")
    }

    func testAPhoneTicketIsOpenedAsAMailWouldOpenIt() throws {
        let byMail = try Desk(), byCLI = try Desk()
        try byMail.mail(from: "bob@customer.test", subject: "VPN", body: "It drops every hour.")
        _ = try byCLI.intake.phoneTicket(from: "bob@customer.test", subject: "VPN", text: "It drops every hour.")
        XCTAssertEqual(try byCLI.story(), try byMail.story())
        XCTAssertEqual(try SearchIndex(db: byCLI.db).search(SearchRequest(query: "drops")).map(\.ticketNumber), [1])
    }

    func testAnActionOnAMissingTicketChangesNothing() throws {
        let desk = try Desk()
        XCTAssertThrowsError(try desk.intake.agentMail(ticket: 9, agent: "agent1@example.test", body: "#resolve\n"))
        XCTAssertEqual(try desk.db.row("SELECT COUNT(*) AS n FROM messages")?.int("n"), 0)
    }
}
