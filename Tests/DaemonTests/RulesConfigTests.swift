import Foundation
@testable import Daemon
import Ticketing
import XCTest

/// `rules`, `rules_file`, `groups`, `customers` and the routing keys of queues and agents:
/// what parses, and the exact error (file, rule index and name, key) for every bad input.
final class RulesConfigTests: XCTestCase {
    static let roster = """
        "queues": [{"name": "support", "address": "support@desk.example"},
                   {"name": "billing", "addresses": ["billing@desk.example", "invoices@desk.example"], "priority": "high",
                    "time_zone": "Europe/Berlin", "language": "de", "calendar": "office"}],
        "calendars": {"office": {"time_zone": "Europe/Berlin", "hours": "mon-fri 09:00-17:00"}},
        "agents": [{"email": "Alice@desk.example", "name": "Alice", "groups": ["billing"], "time_zone": "Europe/Berlin",
                    "hours": "mon-fri 09:00-17:30", "max_open": 20},
                   {"email": "bob@desk.example", "name": "Bob", "away": true}],
        "groups": {"billing": {"agents": ["bob@desk.example"]}, "repair": {}},
        "customers": [{"match": "ceo@bigcorp.com", "vip": true, "agent": "Alice", "language": "de", "name": "The CEO"},
                      {"match": "@bigcorp.com", "tags": ["enterprise"]}]
        """

    func parse(_ rules: String, extra: String = "") throws -> Config {
        try Config.parse(Array("{\(Self.roster), \"rules\": \(rules)\(extra)}".utf8), file: "config.json")
    }

    func problem(_ rules: String, extra: String = "", file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(rules, extra: extra)
            XCTFail("expected a config error", file: file, line: line)
        } catch {
            XCTAssertTrue(error is ConfigError, "\(error)", file: file, line: line)
            return "\(error)"
        }
        return ""
    }

    func rule(_ when: String, then: String = #"{"tags": ["t"]}"#) -> String {
        #"[{"name": "r1", "when": \#(when), "then": \#(then)}]"#
    }

    // MARK: - Good configs

    func testQueuesAgentsGroupsAndCustomersParse() throws {
        let config = try parse("[]")
        XCTAssertEqual(config.queues[0].address, "support@desk.example", "the old address key still works")
        XCTAssertEqual(config.queues[1].addresses, ["billing@desk.example", "invoices@desk.example"])
        XCTAssertEqual(config.queues[1].priority, .high)
        XCTAssertEqual(config.queues[1].language, "de")
        XCTAssertEqual(config.agents[0].email, "alice@desk.example")
        XCTAssertEqual(config.agents[0].hours?.hours.description, "mon-fri 09:00-17:30")
        XCTAssertEqual(config.agents[0].hours?.timeZone.identifier, "Europe/Berlin")
        XCTAssertNil(config.agents[1].hours, "no hours: always on duty")
        XCTAssertEqual(config.agents[0].maxOpen, 20)
        XCTAssertTrue(config.agents[1].away)
        XCTAssertEqual(config.agents[1].groups, ["billing"], "membership listed under groups reaches the agent")
        XCTAssertEqual(config.groups.first { $0.name == "billing" }?.agents.sorted(), ["alice@desk.example", "bob@desk.example"])
        XCTAssertEqual(config.customers.profile(for: "CEO@bigcorp.com")?.agent, "alice@desk.example", "agent by name")
        XCTAssertEqual(config.customers.profile(for: "jo@bigcorp.com")?.tags, ["enterprise"])
    }

    func testEveryFieldOperatorAndActionIsReadFromTheConfig() throws {
        let config = try parse("""
            [{"name": "vip", "on": ["new", "follow_up"], "stop": true,
              "when": {"all": [{"customer.vip": true}, {"not": {"class": {"in": ["bounce", "auto-reply"]}}},
                               {"any": [{"subject": {"matches": "urgent|asap"}}, {"header:X-Priority": {"starts_with": "1"}},
                                        {"size": {"gt": 1000}}, {"size": {"lt": 10}}, {"has_attachment": {"equals": true}},
                                        {"from": {"equals": "a@b.c"}}, {"from_domain": {"ends_with": "corp.com"}},
                                        {"from_name": {"contains": "ceo", "case": "sensitive"}}, {"to": {"equals": "x@y.z"}},
                                        {"cc": {"equals": "x@y.z"}}, {"mailbox": {"equals": "support"}}, {"text": {"contains": "x"}},
                                        {"attachment_type": {"equals": "application/pdf"}}, {"attachment_name": {"ends_with": ".pdf"}},
                                        {"language": {"in": ["de", "ru"]}}, {"customer.tag": {"equals": "enterprise"}},
                                        {"arrival": {"weekday": ["sat", "sun"]}}, {"arrival": {"hour": {"from": 18, "to": 8}}},
                                        {"arrival": "outside_business_hours"}]}]},
              "then": {"queue": "billing", "priority": "urgent", "status": "open", "tags": ["vip"], "category": "escalation",
                       "assign": {"group": "billing", "strategy": "least_open", "prefer": "account_manager"},
                       "cc": "boss@bigcorp.com", "acknowledge": false}},
             {"name": "junk", "when": {"subject": {"contains": "viagra"}}, "then": {"spam": true}},
             {"name": "to-bob", "when": {"from": {"equals": "x@y.z"}}, "then": {"assign": "Bob"}}]
            """)
        let rules = config.rules.rules
        XCTAssertEqual(rules.map(\.name), ["vip", "junk", "to-bob"])
        XCTAssertEqual(rules[0].on, [.new, .followUp])
        XCTAssertTrue(rules[0].stop)
        XCTAssertEqual(rules[0].then, [.queue("billing"), .priority(.urgent), .status(.open), .tags(["vip"]), .category("escalation"),
                                       .assign(.group("billing", strategy: .leastOpen, prefer: .accountManager)),
                                       .cc(["boss@bigcorp.com"]), .acknowledge(false)])
        XCTAssertEqual(rules[1].then, [.spam])
        XCTAssertEqual(rules[2].then, [.assign(.agent("bob@desk.example"))])
        XCTAssertEqual(rules[1].on, [.new], "rules run on new tickets by default")
    }

    func testRulesFromAFileRelativeToTheConfig() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(#"{"rules": [{"name": "a", "when": {"subject": {"contains": "x"}}, "then": {"queue": "billing"}}]}"#.utf8)
            .write(to: dir.appendingPathComponent("rules.json"))
        try Data("{\(Self.roster), \"rules_file\": \"rules.json\"}".utf8).write(to: dir.appendingPathComponent("config.json"))
        let config = try Config.load(path: dir.appendingPathComponent("config.json").path)
        XCTAssertEqual(config.rules.rules.map(\.name), ["a"])

        // Its errors name the rules file, not the config.
        try Data(#"[{"name": "a", "when": {"subjet": {"contains": "x"}}, "then": {"queue": "billing"}}]"#.utf8)
            .write(to: dir.appendingPathComponent("rules.json"))
        XCTAssertThrowsError(try Config.load(path: dir.appendingPathComponent("config.json").path)) { error in
            XCTAssertEqual("\(error)", "\(dir.appendingPathComponent("rules.json").path): rules[0] \"a\".when.subjet: unknown field (did you mean \"subject\"?)")
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("rules.json"))
        XCTAssertThrowsError(try Config.load(path: dir.appendingPathComponent("config.json").path)) { error in
            XCTAssertEqual("\(error)", "\(dir.appendingPathComponent("config.json").path): rules_file: no such file \(dir.appendingPathComponent("rules.json").path)")
        }
        // A directory named as the rules file says so (it used to blame permissions).
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("rules.json"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try Config.load(path: dir.appendingPathComponent("config.json").path)) { error in
            XCTAssertEqual("\(error)", "\(dir.appendingPathComponent("config.json").path): rules_file: \(dir.appendingPathComponent("rules.json").path) is a directory, not a file")
        }
    }

    // MARK: - Bad input: each names the file, the rule and the key

    func testABadRegex() {
        XCTAssertEqual(problem(rule(#"{"subject": {"matches": "(unclosed"}}"#)),
                       #"config.json: rules[0] "r1".when.subject.matches: not a valid regular expression"#)
        let long = String(repeating: "a", count: 1001)
        XCTAssertEqual(problem(rule(#"{"subject": {"matches": "\#(long)"}}"#)),
                       #"config.json: rules[0] "r1".when.subject.matches: pattern longer than 1000 characters"#)
    }

    func testUnknownFieldOperatorAndAction() {
        XCTAssertEqual(problem(rule(#"{"any": [{"subject": {"contains": "x"}}, {"form": {"equals": "x"}}]}"#)),
                       #"config.json: rules[0] "r1".when.any[1].form: unknown field (did you mean "from"?)"#)
        XCTAssertEqual(problem(rule(#"{"subject": {"contain": "x"}}"#)),
                       #"config.json: rules[0] "r1".when.subject.contain: unknown operator (did you mean "contains"?)"#)
        XCTAssertEqual(problem(rule(#"{"subject": {"contains": "x"}}"#, then: #"{"priorty": "high"}"#)),
                       #"config.json: rules[0] "r1".then.priorty: unknown action (did you mean "priority"?)"#)
        XCTAssertEqual(problem(rule(#"{"size": {"contains": "x"}}"#)),
                       #"config.json: rules[0] "r1".when.size.contains: size is a number: use equals, gt or lt"#)
        XCTAssertEqual(problem(rule(#"{"subject": {"gt": 3}}"#)),
                       #"config.json: rules[0] "r1".when.subject.gt: gt compares numbers; subject is text"#)
        XCTAssertEqual(problem(rule(#"{"class": {"equals": "spam"}}"#)),
                       #"config.json: rules[0] "r1".when.class.equals: class is one of human, auto-reply, bounce, list"#)
        XCTAssertEqual(problem(rule(#"{"arrival": {"weekday": ["sat", "sunday"]}}"#)),
                       #"config.json: rules[0] "r1".when.arrival.weekday[1]: must be one of mon, tue, wed, thu, fri, sat, sun"#)
        XCTAssertEqual(problem(rule(#"{"subject": {"contains": "x"}, "from": {"equals": "y"}}"#)),
                       #"config.json: rules[0] "r1".when: one field or combinator per condition (wrap several in "all")"#)
    }

    func testUnknownAgentGroupQueueAndPolicy() {
        let when = #"{"subject": {"contains": "x"}}"#
        XCTAssertEqual(problem(rule(when, then: #"{"assign": "carol@desk.example"}"#)),
                       #"config.json: rules[0] "r1".then.assign: names no agent defined under agents ("carol@desk.example")"#)
        XCTAssertEqual(problem(rule(when, then: #"{"assign": {"group": "sales"}}"#)),
                       #"config.json: rules[0] "r1".then.assign.group: names no group defined under groups ("sales")"#)
        XCTAssertEqual(problem(rule(when, then: #"{"assign": {"group": "billing", "strategy": "random"}}"#)),
                       #"config.json: rules[0] "r1".then.assign.strategy: must be one of round_robin, least_open"#)
        XCTAssertEqual(problem(rule(when, then: #"{"queue": "sales"}"#)),
                       #"config.json: rules[0] "r1".then.queue: names no queue defined under queues ("sales")"#)
        XCTAssertEqual(problem(rule(when, then: #"{"sla": "gold"}"#)),
                       #"config.json: rules[0] "r1".then.sla: names policy "gold" but no sla_policies are defined"#)
    }

    func testDuplicateNamesAndRulesWithoutConditionOrAction() {
        let one = #"{"name": "same", "when": {"subject": {"contains": "x"}}, "then": {"tags": "t"}}"#
        XCTAssertEqual(problem("[\(one), \(one)]"), #"config.json: rules[1] "same".name: duplicate rule name (also rules[0])"#)
        XCTAssertEqual(problem(#"[{"name": "r1", "then": {"tags": "t"}}]"#), #"config.json: rules[0] "r1".when: a rule needs a condition"#)
        XCTAssertEqual(problem(#"[{"name": "r1", "when": {}, "then": {"tags": "t"}}]"#),
                       #"config.json: rules[0] "r1".when: a rule needs a condition"#)
        XCTAssertEqual(problem(rule(#"{"subject": {"contains": "x"}}"#, then: "{}")),
                       #"config.json: rules[0] "r1".then: a rule needs at least one action"#)
        XCTAssertEqual(problem(#"[{"when": {"subject": {"contains": "x"}}, "then": {"tags": "t"}}]"#),
                       "config.json: rules[0].name: is required")
        XCTAssertEqual(problem(#"[{"name": "r1", "on": ["new", "reply"], "when": {"subject": {"contains": "x"}}, "then": {"tags": "t"}}]"#),
                       #"config.json: rules[0] "r1".on[1]: must be new or follow_up"#)
        XCTAssertEqual(problem(#"[{"name": "r1", "when": {"all": []}, "then": {"tags": "t"}}]"#),
                       #"config.json: rules[0] "r1".when.all: needs at least one condition"#)
    }

    func testBadRosterEntries() {
        func roster(_ text: String) -> String {
            do { _ = try Config.parse(Array(text.utf8), file: "config.json"); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(roster(#"{"agents": [{"email": "a@b.c", "time_zone": "Mars/Olympus"}]}"#),
                       #"config.json: agents[0].time_zone: unknown time zone "Mars/Olympus" (use an IANA name like Europe/Kyiv, or UTC)"#)
        XCTAssertEqual(roster(#"{"agents": [{"email": "a@b.c", "hours": "mon-fri 9-17"}]}"#),
                       #"config.json: agents[0].hours: mon-fri: "9" in "9-17" is not a time like 09:00"#)
        XCTAssertEqual(roster(#"{"queues": [{"name": "q", "calendar": "office"}]}"#),
                       #"config.json: queues[0].calendar: names no calendar defined under calendars ("office")"#)
        XCTAssertEqual(roster(#"{"agents": [{"email": "a@b.c", "groups": ["sales"]}]}"#),
                       "config.json: agents[0].groups[0]: names no group defined under groups")
        XCTAssertEqual(roster(#"{"agents": [{"email": "a@b.c", "max_open": 0}]}"#),
                       "config.json: agents[0].max_open: must be between 1 and 100000")
        XCTAssertEqual(roster(#"{"queues": [{"name": "q", "addresses": ["nope"]}]}"#),
                       "config.json: queues[0].addresses[0]: must be an e-mail address")
        XCTAssertEqual(roster(#"{"customers": [{"match": "bigcorp.com"}]}"#),
                       "config.json: customers[0].match: must be an address (ceo@bigcorp.com) or a domain (@bigcorp.com)")
        XCTAssertEqual(roster(#"{"customers": [{"match": "@bigcorp.com", "agent": "nobody"}]}"#),
                       #"config.json: customers[0].agent: names no agent defined under agents ("nobody")"#)
        XCTAssertEqual(roster(#"{"rules": [], "rules_file": "r.json"}"#), "config.json: give only one of rules, rules_file")
    }

    /// `outside_business_hours` reads the queue's working hours: with none anywhere it could
    /// never hold (refused); queues without them are named in a warning.
    func testOutsideBusinessHoursNeedsAQueueWithWorkingHours() throws {
        let rule = #"[{"name": "late", "when": {"arrival": "outside_business_hours"}, "then": {"tags": ["late"]}}]"#
        let config = try parse(rule)
        XCTAssertEqual(config.warnings, [#"config.json: rules[0] "late".when: arrival outside_business_hours never holds in queues without working hours (support)"#])
        XCTAssertThrowsError(try Config.parse(Array(#"{"queues": [{"name": "support", "calendar": "24x7"}], "rules": \#(rule)}"#.utf8),
                                              file: "config.json")) { error in
            XCTAssertEqual("\(error)", #"config.json: rules[0] "late".when: arrival outside_business_hours needs working hours, and no queue has them (give queues a calendar)"#)
        }
    }

    // MARK: - Queue membership

    static let staffed = """
        {"agents": [{"email": "alice@desk.example", "name": "Alice"}, {"email": "Bob@desk.example", "groups": ["billing"]},
                    {"email": "carol@desk.example", "name": "Carol", "groups": ["billing"]}, {"email": "dan@desk.example"}],
         "groups": ["billing"],
         "queues": [{"name": "support"}, {"name": "billing", "agents": ["alice"], "groups": ["billing"]},
                    {"name": "vip", "agents": "Dan@desk.example"}, {"name": "empty", "groups": "nobody-yet"}]
        """

    func testQueuesNameTheirAgentsByAddressNameOrGroupAndTheRestHaveEveryAgent() throws {
        let config = try Config.parse(Array((Self.staffed + #", "groups": {"billing": {}, "nobody-yet": {}}}"#)
            .replacingOccurrences(of: #""groups": ["billing"],"#, with: "").utf8), file: "config.json")
        XCTAssertEqual(config.queues[1].agents, ["alice@desk.example", "bob@desk.example", "carol@desk.example"],
                       "a name, then the group's agents")
        XCTAssertEqual(config.queueMembers.agents(of: "billing"), ["alice@desk.example", "bob@desk.example", "carol@desk.example"])
        XCTAssertEqual(config.queueMembers.agents(of: "vip"), ["dan@desk.example"], "one address, any case")
        let everyone = ["alice@desk.example", "bob@desk.example", "carol@desk.example", "dan@desk.example"]
        XCTAssertEqual(config.queueMembers.agents(of: "support"), everyone, "a queue naming nobody: every agent, as before")
        XCTAssertEqual(config.queueMembers.agents(of: "empty"), everyone, "a group without agents does not silence the queue")
        XCTAssertEqual(config.warnings, [#"config.json: queues[3]: queue "empty" names groups without agents; its notices go to every agent"#])
        XCTAssertFalse(config.queueMembers.namesMembers("support"))
    }

    func testAnUnknownQueueAgentOrGroupExits78NamingTheKeyWithAHint() {
        func problem(_ queues: String) -> String {
            let text = Self.staffed.replacingOccurrences(of: #"{"name": "support"}"#, with: queues) + "}"
            do { _ = try Config.parse(Array(text.utf8), file: "config.json"); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(problem(#"{"name": "support", "agents": ["alice@desk.example", "carl@desk.example"]}"#),
                       #"config.json: queues[0].agents[1]: names no agent defined under agents ("carl@desk.example") (did you mean "carol@desk.example"?)"#)
        XCTAssertEqual(problem(#"{"name": "support", "agents": "Alise"}"#),
                       #"config.json: queues[0].agents: names no agent defined under agents ("Alise") (did you mean "Alice"?)"#)
        XCTAssertEqual(problem(#"{"name": "support", "groups": ["biling"]}"#),
                       #"config.json: queues[0].groups[0]: names no group defined under groups ("biling") (did you mean "billing"?)"#)
        XCTAssertEqual(problem(#"{"name": "support", "agent": ["alice"]}"#),
                       #"config.json: queues[0].agent: unknown key (did you mean "agents"?)"#)
    }

    /// Leaving out `agents` and `groups` means every agent; an empty list written out is refused
    /// (it would otherwise silently mail the whole team), unless the other key names someone.
    func testAnExplicitlyEmptyQueueMemberListExits78NamingQueueAndKey() throws {
        func problem(_ queue: String) -> String {
            let text = Self.staffed.replacingOccurrences(of: #"{"name": "support"}"#, with: queue)
                .replacingOccurrences(of: #""groups": ["billing"],"#, with: #""groups": ["billing", "nobody-yet"],"#) + "}"
            do { _ = try Config.parse(Array(text.utf8), file: "config.json"); return "" } catch { return "\(error)" }
        }
        let reason = #"queue "support" lists no agents: name its agents or groups, or leave out the key for every agent"#
        XCTAssertEqual(problem(#"{"name": "support", "agents": []}"#), "config.json: queues[0].agents: " + reason)
        XCTAssertEqual(problem(#"{"name": "support", "groups": []}"#), "config.json: queues[0].groups: " + reason)
        XCTAssertEqual(problem(#"{"name": "support", "agents": [], "groups": []}"#), "config.json: queues[0].agents: " + reason)
        XCTAssertEqual(problem(#"{"name": "support", "agents": [], "groups": ["billing"]}"#), "", "the groups name its agents")
        XCTAssertEqual(problem(#"{"name": "support", "agents": 42}"#),
                       "config.json: queues[0].agents: must be a string or a list of strings")
    }
}
