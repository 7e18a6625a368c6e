import CLI
import Foundation
import TestSupport
import XCTest

/// `postdesk rules check` and `postdesk rules test`: argv in, output and exit code out.
final class RulesCommandTests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = Fixtures.temporaryDirectory("rules-cli")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    func write(_ name: String, _ text: String) -> String {
        let url = dir.appendingPathComponent(name)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    func config(rules: String) -> String {
        write("config.json", """
            {"state_directory": "\(dir.path)",
             "mailboxes": [{"name": "billing-box", "url": "imap://127.0.0.1", "user": "u", "password": "p", "tls": "none", "queue": "billing"}],
             "queues": [{"name": "support", "address": "support@example.test"}, {"name": "billing", "address": "billing@example.test"}],
             "agents": [{"email": "alice@example.test", "groups": ["support"], "hours": "mon-fri 09:00-17:00"}],
             "groups": ["support"],
             "customers": [{"match": "@bigcorp.test", "vip": true, "language": "de"}],
             "rules": \(rules)}
            """)
    }

    let rules = """
        [{"name": "vip", "when": {"customer.vip": true}, "then": {"priority": "urgent", "tags": ["vip"], "assign": {"group": "support"}}},
         {"name": "invoices", "when": {"subject": {"contains": "invoice"}}, "then": {"category": "billing"}}]
        """

    func run(_ argv: [String]) -> (code: Int32, out: String, err: String) {
        let captured = CapturedOutput()
        let code = Postdesk.main(argv, io: captured.io(), clock: FakeClock())
        return (code, captured.out, captured.err)
    }

    var message: String {
        write("vip.eml", "From: Boss <boss@bigcorp.test>\r\nTo: support@example.test\r\nSubject: Where is my invoice?\r\nMessage-ID: <v1@bigcorp.test>\r\n\r\nHello\r\n")
    }

    func testCheckPrintsTheRulesInOrder() {
        let r = run(["rules", "check", "--config", config(rules: rules)])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("2 rules OK"), r.out)
        XCTAssertTrue(r.out.contains("1. vip  [on: new]"), r.out)
        XCTAssertTrue(r.out.contains("when: customer.vip is true"), r.out)
        XCTAssertTrue(r.out.contains("then: priority=urgent tags+=vip assign=group:support/round_robin"), r.out)
        XCTAssertTrue(r.out.contains("2. invoices"), r.out)
    }

    func testABadRuleExits78NamingFileRuleAndKey() {
        let path = config(rules: #"[{"name": "bad", "when": {"subject": {"matches": "("}}, "then": {"tags": "x"}}]"#)
        for argv in [["rules", "check", "--config", path], ["rules", "test", message, "--config", path]] {
            let r = run(argv)
            XCTAssertEqual(r.code, 78)
            XCTAssertTrue(r.err.contains(#"config.json: rules[0] "bad".when.subject.matches: not a valid regular expression"#), r.err)
        }
    }

    func testTestShowsEachRuleAndTheResultAsJSON() throws {
        // Monday 2026-12-07 10:00 UTC: alice is on duty.
        let r = run(["rules", "test", message, "--at", "2026-12-07T10:00:00Z", "--json", "--config", config(rules: rules)])
        XCTAssertEqual(r.code, 0, r.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        for key in ["classification", "bounce", "thread", "rules", "result", "notifications"] { XCTAssertNotNil(json[key], key) }
        let rules = try XCTUnwrap(json["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["name"] as? String }, ["vip", "invoices"])
        XCTAssertEqual(rules.map { $0["matched"] as? Bool }, [true, true])
        XCTAssertEqual(rules[1]["because"] as? String, #"subject contains "invoice""#)
        let result = try XCTUnwrap(json["result"] as? [String: Any])
        XCTAssertEqual(result["queue"] as? String, "support")
        XCTAssertEqual(result["priority"] as? String, "urgent")
        XCTAssertEqual(result["category"] as? String, "billing")
        XCTAssertEqual(result["tags"] as? [String], ["vip"])
        XCTAssertEqual(result["assignee"] as? String, "alice@example.test")
        XCTAssertEqual(result["language"] as? String, "de")
        XCTAssertEqual(result["acknowledge"] as? Bool, true)
        XCTAssertTrue(json["bounce"] is NSNull)
        XCTAssertEqual((json["thread"] as? [String: Any])?["decision"] as? String, "new")
        let notes = try XCTUnwrap(json["notifications"] as? [[String: Any]])
        XCTAssertEqual(notes.map { $0["kind"] as? String }, ["ack", "new-ticket"])
        XCTAssertEqual(notes[1]["to"] as? [String], ["alice@example.test"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("postdesk.db").path), "writes nothing")
    }

    func testTestAtNightSaysWhoWasOffDutyAndTheMailboxDecidesTheQueue() {
        let r = run(["rules", "test", message, "--at", "2026-12-12T10:00:00Z", "--mailbox", "billing-box", "--config", config(rules: rules)])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("[x] vip: customer.vip is true"), r.out)
        XCTAssertTrue(r.out.contains("queue:       billing"), r.out)
        XCTAssertTrue(r.out.contains("assignee:    none yet, waits for group:support/round_robin"), r.out)
        XCTAssertTrue(r.out.contains("alice@example.test off duty (mon-fri 09:00-17:00"), r.out)
    }

    func testTestGivesTheSLAPolicyAndItsDeadlinesForTheArrivalTime() throws {
        let path = write("sla.json", """
            {"state_directory": "\(dir.path)",
             "queues": [{"name": "support", "address": "support@example.test"}],
             "calendars": {"office": {"time_zone": "Europe/Kyiv", "hours": "mon-fri 09:00-18:00"}},
             "sla_policies": {"p1": {"calendar": "office", "first_response": "1h", "resolution": "8h"},
                              "standard": {"calendar": "office", "first_response": "4h"}},
             "sla_defaults": {"*": "standard"},
             "rules": [{"name": "vip", "when": {"from": {"contains": "@bigcorp.test"}}, "then": {"sla": "p1"}}]}
            """)
        // Friday 2026-12-11 17:30 in Kyiv (15:30 UTC): half an hour today, the rest on Monday.
        let r = run(["rules", "test", message, "--at", "2026-12-11T15:30:00Z", "--json", "--config", path])
        XCTAssertEqual(r.code, 0, r.err)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let sla = try XCTUnwrap((json["result"] as? [String: Any])?["sla"] as? [String: Any], r.out)
        XCTAssertEqual(sla["policy"] as? String, "p1", "the rule's choice")
        XCTAssertEqual(sla["first_response_due"] as? String, "2026-12-14T07:30:00Z", "Monday 09:30 in Kyiv")
        XCTAssertEqual(sla["resolution_due"] as? String, "2026-12-14T14:30:00Z", "Monday 16:30 in Kyiv")
        XCTAssertTrue(sla["next_response_due"] is NSNull)
        let text = run(["rules", "test", message, "--at", "2026-12-11T15:30:00Z", "--config", path]).out
        XCTAssertTrue(text.contains("sla:         p1 (first response due 2026-12-14 07:30 UTC, resolution due 2026-12-14 14:30 UTC)"), text)
    }

    func testExitCodes() {
        let path = config(rules: rules)
        XCTAssertEqual(run(["rules", "test", "/nonexistent.eml", "--config", path]).code, 66)
        XCTAssertEqual(run(["rules", "test", write("junk.bin", "\u{01}\u{02}\u{03}\u{00}\u{04}"), "--config", path]).code, 65)
        XCTAssertEqual(run(["rules", "test", message, "--at", "tomorrow", "--config", path]).code, 64)
        XCTAssertEqual(run(["rules", "frobnicate", "--config", path]).code, 64)
        XCTAssertEqual(run(["rules", "test", "--config", path]).code, 64)
    }

    func testIntakeBenchIngestsEveryMessageWithAndWithoutTheRulesInAlternatingRounds() throws {
        let mail = dir.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        for i in 1...3 {
            try Data("From: c\(i)@example.com\r\nTo: support@example.test\r\nSubject: invoice \(i)\r\nMessage-ID: <b\(i)@example.com>\r\n\r\nHi\r\n".utf8)
                .write(to: mail.appendingPathComponent("\(i).eml"))
        }
        let r = run(["rules", "bench", mail.path, "--intake", "--rounds", "2", "--config", config(rules: rules)])
        XCTAssertEqual(r.code, 0, r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "rules bench --intake: 3 messages x 2 rounds, fresh store each")
        // Round 1 runs without the rules first, round 2 with them first.
        XCTAssertEqual(lines.filter { $0.hasPrefix("  round") }.map { $0.components(separatedBy: ":")[0] },
                       ["  round 1 no rules", "  round 1 2 rules", "  round 2 2 rules", "  round 2 no rules"])
        XCTAssertTrue(lines.contains { $0.hasPrefix("  rules vs none per round: cpu ") }, r.out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  median: cpu ") }, r.out)
        let left = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
        XCTAssertFalse(left.contains { $0 == "postdesk-rules-intake-\(getpid())" }, "the scratch stores are removed")
    }
}
