import Foundation
import Daemon
import Glibc
import MIME
import Store
import TestSupport
import Transport
import XCTest

/// Issue "SLA clocks, escalation and auto-close" end to end: real Postfix and Dovecot, the real
/// `postdesk run` binary, its time set by the test through `POSTDESK_CLOCK_FILE`. A ticket assigned
/// to agent1 runs past its first-response deadline: agent1 and the lead (agent2, `escalate_to`) get
/// one warning and one breach each, across a restart and a week's jump; the metrics file shows the
/// breach; then the agent's pending reply goes unanswered, and silence resolves and closes it.
final class SLAIntegrationTests: XCTestCase {
    var servers: MailServers!

    override func setUpWithError() throws {
        servers = try MailServers.shared()
        guard FileManager.default.isExecutableFile(atPath: TestDesk.binary) else {
            throw XCTSkip("no postdesk binary at \(TestDesk.binary): run `swift build` first")
        }
    }

    /// Polls with a monotonic deadline (tests never read the wall clock).
    func mails(_ user: String, _ match: (Message) -> Bool = { _ in true }) throws -> [Message] {
        try servers.inbox(user).filter(match)
    }

    /// The shipped templates' subjects: "[#1-…] SLA due soon: …", "[#1-…] SLA breached: …".
    static func isSLA(_ kind: String) -> (Message) -> Bool {
        { ($0.subject ?? "").contains(kind == "warning" ? "] SLA due soon: " : "] SLA breached: ") }
    }

    func testTheRealDaemonOnATestClockWarnsBreachesOnceAndSilenceResolvesAndClosesTheTicket() throws {
        for user in ["customer1", "agent1", "agent2"] { try servers.reset(user: user) }
        let desk = try TestDesk(servers: servers, user: "support")
        let metrics = desk.directory.appendingPathComponent("postdesk.prom").path
        try desk.writeConfig(extra: """
            "metrics_file": "\(metrics)",
            "sla_policies": {"p1": {"calendar": "24x7", "first_response": "1h", "warn_at": 0.5,
                                    "escalate_to": "\(servers.address("agent2"))"}},
            "sla_defaults": {"*": "p1"},
            "auto_resolve_after": "2d",
            "auto_close_after": "3d"
            """)
        let clockFile = desk.directory.appendingPathComponent("clock").path
        func setClock(_ unix: Int64) throws {
            try Data("\(unix)\n".utf8).write(to: URL(fileURLWithPath: clockFile + ".new"))
            XCTAssertEqual(rename(clockFile + ".new", clockFile), 0)
        }
        func sla(_ column: String) throws -> Int64 {
            try XCTUnwrap(try desk.store().row("SELECT \(column) FROM ticket_sla WHERE target = 'first_response'")?.optionalInt(column))
        }
        let environment = [FileClock.variable: clockFile]
        var logs: [String] = []
        func log() -> String { logs.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }.joined() }
        func start() throws -> SpawnedProcess {
            logs.append(desk.directory.appendingPathComponent("run\(logs.count).log").path)
            let daemon = try spawn(desk, ["run", "--log-level", "debug"], logFile: logs.last!, environment: environment)
            XCTAssertTrue(waitUntil { (try? String(contentsOfFile: logs.last!, encoding: .utf8))?.contains("event=service.polled") ?? false }, log())
            return daemon
        }
        /// Two more polls after this call: time enough for what is due now to have been sent.
        func twoPolls() {
            let before = log().components(separatedBy: "event=service.polled").count
            XCTAssertTrue(waitUntil { log().components(separatedBy: "event=service.polled").count >= before + 2 }, log())
        }
        let t0: Int64 = 1_796_634_000 // 2026-12-07 09:00 UTC
        try setClock(t0)
        var daemon = try start()
        XCTAssertTrue(log().contains("level=warning event=clock.from_file variable=\(FileClock.variable) path=\(clockFile) now=2026-12-07T09:00"), log())

        try servers.send(from: "customer1", to: "support", """
            From: Ann Customer <\(servers.address("customer1"))>
            To: \(servers.address("support"))
            Subject: Invoice missing
            Message-ID: <sla-first@customer.test>

            Where is my invoice?
            """)
        XCTAssertTrue(try waitUntil { try !self.mails("agent1").isEmpty }, "agent1 heard of the new ticket\n" + log())
        let notice = try XCTUnwrap(try mails("agent1").first)
        let tagged = try XCTUnwrap(notice.subject)
        let created = try XCTUnwrap(try desk.store().row("SELECT created_at FROM tickets WHERE number = 1")?.int("created_at"))
        XCTAssertTrue((t0..<t0 + 60).contains(created), "the ticket is born on the file's time: \(created)")

        /// agent1 answers her notice of the ticket (its Message-ID is her reply handle: the proof).
        let handle = try XCTUnwrap(notice.messageID)
        func agentMail(id: String, _ body: String) throws {
            try servers.send(from: "agent1", to: "support", """
                From: \(servers.address("agent1"))
                To: \(servers.address("support"))
                Subject: Re: \(tagged)
                Message-ID: <\(id)@agent.test>
                In-Reply-To: <\(handle)>

                \(body)
                """)
        }

        // agent1 takes the ticket but does not answer yet: no first response.
        try agentMail(id: "sla-take", "#take")
        XCTAssertTrue(try waitUntil { try desk.store().row("SELECT assignee FROM tickets WHERE number = 1")?.optionalText("assignee") != nil }, log())
        XCTAssertEqual(try desk.store().row("SELECT assignee FROM tickets WHERE number = 1")?.text("assignee"), servers.address("agent1"))
        XCTAssertTrue(try mails("agent1", Self.isSLA("warning")).isEmpty, "nothing is due yet")

        // Half the hour used: one warning each.
        try setClock(try sla("warn_at") + 5)
        XCTAssertTrue(try waitUntil { try self.mails("agent1", Self.isSLA("warning")).count == 1 && self.mails("agent2", Self.isSLA("warning")).count == 1 }, log())
        XCTAssertTrue(try mails("agent1", Self.isSLA("breach")).isEmpty)

        // The deadline: one breach each, and the metrics file shows it.
        let due = try sla("due_at")
        try setClock(due + 5)
        XCTAssertTrue(try waitUntil { try self.mails("agent1", Self.isSLA("breach")).count == 1 && self.mails("agent2", Self.isSLA("breach")).count == 1 }, log())
        XCTAssertTrue(waitUntil { ((try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "").contains("\npostdesk_sla_breaches 1\n") },
                      (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "no metrics file")
        let breach = try XCTUnwrap(try mails("agent2", Self.isSLA("breach")).first)
        XCTAssertTrue(breach.subject?.contains("Invoice missing") ?? false, breach.subject ?? "")
        XCTAssertNotNil(breach.header("Auto-Submitted"), "automatic mail")
        // `show`, another process on the same clock file, agrees on the time.
        let showLog = desk.directory.appendingPathComponent("show.out").path
        XCTAssertEqual(TestDesk.wait(try desk.spawn(["show", "1"], logFile: showLog, environment: environment)), 0)
        let show = (try? String(contentsOfFile: showLog, encoding: .utf8)) ?? ""
        XCTAssertTrue(show.contains("first response overdue by"), show)
        XCTAssertTrue(show.contains("postdesk: warning: the time is read from \(FileClock.variable)"), show)

        // agent1 answers at last and waits on the customer: the reply goes out, the ticket is pending.
        try agentMail(id: "sla-answer", "#pending\nCould you tell us the order number?")
        XCTAssertTrue(try waitUntil { try desk.store().row("SELECT status FROM tickets WHERE number = 1")?.text("status") == "pending" }, log())
        XCTAssertTrue(try waitUntil { try self.mails("customer1") { $0.text?.contains("order number") ?? false }.count == 1 }, log())
        let pendingSince = try XCTUnwrap(try desk.store().row("SELECT MAX(created_at) AS t FROM ticket_events WHERE type = 'status'")?.int("t"))

        // A restart a week and two days later: no alert again; silence resolves the ticket, once.
        kill(daemon.pid, SIGTERM)
        XCTAssertEqual(daemon.exitStatus(timeoutSeconds: 20), 0, log())
        try setClock(pendingSince + 2 * 86_400 + 7 * 86_400)
        daemon = try start()
        XCTAssertTrue(try waitUntil { try desk.store().row("SELECT status FROM tickets WHERE number = 1")?.text("status") == "resolved" }, log())
        XCTAssertTrue(try waitUntil { try self.mails("customer1") { $0.text?.contains("lack of an answer") ?? false }.count == 1 }, log())

        // Three days resolved: closed, without a mail.
        let resolvedAt = try XCTUnwrap(try desk.store().row("SELECT MAX(created_at) AS t FROM ticket_events WHERE type = 'status'")?.int("t"))
        try setClock(resolvedAt + 3 * 86_400 + 5)
        XCTAssertTrue(try waitUntil { try desk.store().row("SELECT status FROM tickets WHERE number = 1")?.text("status") == "closed" }, log())
        twoPolls()
        kill(daemon.pid, SIGTERM)
        XCTAssertEqual(daemon.exitStatus(timeoutSeconds: 20), 0, log())

        for user in ["agent1", "agent2"] {
            XCTAssertEqual(try mails(user, Self.isSLA("warning")).count, 1, "\(user): one warning")
            XCTAssertEqual(try mails(user, Self.isSLA("breach")).count, 1, "\(user): one breach")
        }
        XCTAssertEqual(try mails("customer1") { $0.text?.contains("lack of an answer") ?? false }.count, 1, "one resolved notice")
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM ticket_events WHERE type = 'sla-breach'"), 1)
        XCTAssertEqual(try desk.count("SELECT COUNT(*) FROM ticket_events WHERE type = 'status' AND actor = 'system'"), 2, "resolved and closed by the system")
        XCTAssertFalse(log().contains("late=true"), "every alert went in time: the daemon was running")
    }
}
