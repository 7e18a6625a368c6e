import CLI
import Foundation
import Store
import TestSupport
import Ticketing
import XCTest

/// `postdesk set`, `reply`, `note` and `new` as an agent runs them, against a store on disk.
final class AgentCommandsTests: XCTestCase {
    var directory: URL!
    var configPath: String!
    let clock = FakeClock(Date(timeIntervalSince1970: 1_793_610_000))

    override func setUpWithError() throws {
        directory = Fixtures.temporaryDirectory("cli-agent")
        configPath = directory.appendingPathComponent("config.json").path
        try Data("""
            {"database": "\(directory.appendingPathComponent("postdesk.db").path)", "state_directory": "\(directory.path)",
             "smtp": {"url": "smtp://127.0.0.1:1025", "tls": "none", "from": "Support <support@example.test>"},
             "agents": [{"email": "ann@example.test"}, {"email": "bob@example.test"}],
             "queues": [{"name": "support", "address": "support@example.test"}, {"name": "billing"}]}
            """.utf8).write(to: URL(fileURLWithPath: configPath))
        XCTAssertEqual(run(["new", "--from", "Carol <carol@customer.test>", "--subject", "Invoice wrong", "--text", "Twice charged", "--as", "ann@example.test"]).code, 0)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func run(_ argv: [String], user: String = "nobody") -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(["--config", configPath] + argv, io: captured.io(environment: ["USER": user]), clock: clock)
        return (code, captured.out, captured.err)
    }

    func db() throws -> Database { try Store.open(path: directory.appendingPathComponent("postdesk.db").path, now: 0) }

    func testANewPhoneTicketIsAcknowledgedAndNoted() throws {
        let outbox = try db().query("SELECT kind, recipients FROM outbox ORDER BY id").map { "\($0.text("kind")) \($0.text("recipients"))" }
        XCTAssertEqual(outbox, ["ack carol@customer.test", "new-ticket ann@example.test", "new-ticket bob@example.test"], "each agent gets a copy of their own")
        XCTAssertEqual(try db().row("SELECT reason FROM ticket_events WHERE type = 'note'")?.text("reason"), "opened by phone by ann@example.test")
    }

    func testSetStatusGoesThroughTheMailPathAndTellsTheCustomer() throws {
        let r = run(["set", "1", "status", "resolved", "--note", "refund issued"], user: "bob")
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("queued status-resolved to carol@customer.test"), r.out)
        let t = try XCTUnwrap(try TicketStore(db: db()).ticket(number: 1))
        XCTAssertEqual(t.status, .resolved)
        let change = try db().row("SELECT actor FROM ticket_events WHERE field = 'status'")
        XCTAssertEqual(change?.text("actor"), "bob@example.test", "$USER bob maps to bob@example.test")
        XCTAssertEqual(try SearchIndex(db: db()).search(SearchRequest(query: "refund")).first?.ticketNumber, 1, "the note is searchable")
    }

    func testReplyWithAnAttachment() throws {
        let file = directory.appendingPathComponent("steps.txt").path
        try Data("1. switch off".utf8).write(to: URL(fileURLWithPath: file))
        let r = run(["reply", "#1", "--text", "We refunded the second charge.", "--attach", file, "--as", "ann@example.test"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("queued status-open to carol@customer.test"), "the reply, carrying new -> open: \(r.out)")
        XCTAssertEqual(try db().row("SELECT filename FROM attachments")?.text("filename"), "steps.txt")
        XCTAssertNotNil(try db().row("SELECT first_response_at FROM ticket_metrics WHERE ticket_id = 1")?.optionalInt("first_response_at"))
    }

    /// The assignee must be one of the config's agents: a stranger's address would be mailed the
    /// ticket, and a value with a line break would smuggle a second command into the agent's mail.
    func testAnAssigneeOutsideTheAgentsOrWithALineBreakIsRefused() throws {
        let before = try db().row("SELECT COUNT(*) AS n FROM outbox")?.int("n")
        XCTAssertEqual(run(["set", "1", "assignee", "mallory@evil.test", "--as", "ann@example.test"]).code, 64)
        XCTAssertEqual(run(["set", "1", "assignee", "bob@example.test\n#status closed", "--as", "ann@example.test"]).code, 64)
        let t = try XCTUnwrap(try TicketStore(db: db()).ticket(number: 1))
        XCTAssertNil(t.assignee)
        XCTAssertEqual(t.status, .new, "no smuggled #status closed")
        XCTAssertEqual(try db().row("SELECT COUNT(*) AS n FROM outbox")?.int("n"), before, "nothing mailed")
        XCTAssertEqual(run(["set", "1", "assignee", "Bob@Example.test", "--as", "ann@example.test"]).code, 0, "case does not matter")
        XCTAssertEqual(try TicketStore(db: db()).ticket(number: 1)?.assignee, "bob@example.test")
    }

    func testQueueAndAssigneeAndMistakes() throws {
        XCTAssertEqual(run(["set", "1", "queue", "billing", "--as", "ann@example.test"]).code, 0)
        XCTAssertEqual(try TicketStore(db: db()).ticket(number: 1)?.queue, "billing")
        XCTAssertEqual(run(["set", "1", "assignee", "bob@example.test", "--as", "ann@example.test"]).code, 0)
        XCTAssertEqual(try TicketStore(db: db()).ticket(number: 1)?.assignee, "bob@example.test")
        XCTAssertEqual(run(["set", "1", "queue", "nowhere", "--as", "ann@example.test"]).code, 64)
        XCTAssertEqual(run(["set", "1", "status", "asleep", "--as", "ann@example.test"]).code, 64)
        XCTAssertEqual(run(["set", "1", "colour", "red", "--as", "ann@example.test"]).code, 64)
        XCTAssertEqual(run(["set", "9", "status", "open", "--as", "ann@example.test"]).code, 66)
        XCTAssertEqual(run(["set", "1", "status", "open", "--as", "eve@example.test"]).code, 64, "not an agent")
        XCTAssertEqual(run(["note", "1", "--text", "x"], user: "nobody").code, 64, "no agent to act as")
        XCTAssertEqual(run(["reply", "1", "--as", "ann@example.test"]).code, 64, "no text")
        XCTAssertEqual(run(["new", "--from", "not an address", "--subject", "s", "--text", "t"]).code, 64)
    }

    func testABadTicketNumberNamesTheCommandThatWasRun() {
        for command in [["set", "abc", "status", "open"], ["note", "abc", "--text", "x"], ["reply", "#x1", "--text", "x"]] {
            let result = run(command + ["--as", "ann@example.test"])
            XCTAssertEqual(result.code, 64)
            XCTAssertTrue(result.err.hasPrefix("postdesk: \(command[0]): '\(command[1])' is not a ticket number"), result.err)
        }
    }

    /// `set priority` and `set queue` re-time the SLA clocks and the silence deadline as the
    /// intake does: the policy follows the queue and priority, and the deadlines count from the
    /// ticket's creation (its history), not from the change.
    func testSetPriorityAndQueueRetimeTheClocksFromHistory() throws {
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        try Data(config.replacingOccurrences(of: #""queues""#, with: #"""
            "sla_policies": {"p1": {"first_response": "4h"}, "rush": {"first_response": "30m"}, "fast": {"first_response": "1h"}},
            "sla_defaults": {"urgent": "rush", "billing/*": "fast", "*": "p1"},
            "auto_resolve_after": {"billing": "1d", "*": "7d"},
            "queues"
            """#).utf8).write(to: URL(fileURLWithPath: configPath))
        let created = try XCTUnwrap(try TicketStore(db: db()).ticket(number: 1)).createdAt
        func firstResponse() throws -> (policy: String, due: Int64?) {
            let row = try XCTUnwrap(try db().row("SELECT policy, due_at FROM ticket_sla WHERE target = 'first_response'"))
            return (row.text("policy"), row.optionalInt("due_at"))
        }
        func silenceDue() throws -> Int64? { try db().row("SELECT silence_due_at FROM ticket_sla_policy")?.optionalInt("silence_due_at") }

        clock.advance(by: 600)
        XCTAssertEqual(run(["set", "1", "priority", "urgent", "--as", "ann@example.test"]).code, 0)
        XCTAssertEqual(try firstResponse().policy, "rush")
        XCTAssertEqual(try firstResponse().due, created + 1800, "30 minutes from creation, not from the change")
        XCTAssertEqual(run(["set", "1", "queue", "billing", "--as", "ann@example.test"]).code, 0)
        XCTAssertEqual(try firstResponse().policy, "fast", "billing/* is more specific than urgent")
        XCTAssertEqual(try firstResponse().due, created + 3600)

        XCTAssertEqual(run(["set", "1", "status", "pending", "--as", "ann@example.test"]).code, 0)
        let pendingSince = clock.unixSeconds()
        XCTAssertEqual(try silenceDue(), pendingSince + 86_400, "billing resolves after a day of silence")
        clock.advance(by: 600)
        XCTAssertEqual(run(["set", "1", "queue", "support", "--as", "ann@example.test"]).code, 0)
        XCTAssertEqual(try firstResponse().policy, "rush")
        XCTAssertEqual(try silenceDue(), pendingSince + 7 * 86_400, "support waits a week, from the same start")
    }
}
