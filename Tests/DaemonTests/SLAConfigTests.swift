import Foundation
@testable import Daemon
import Ticketing
import XCTest

/// `sla_policies`, `sla_defaults`, `pause_statuses`, `auto_resolve_after`, `auto_close_after`.
final class SLAConfigTests: XCTestCase {
    static let office = #""calendars": {"office": {"time_zone": "Europe/Kyiv", "hours": "mon-fri 09:00-18:00"}}"#
    static let queues = #""queues": [{"name": "support"}, {"name": "billing"}]"#

    func parse(_ body: String) throws -> Config {
        try Config.parse(Array("{\(Self.office), \(Self.queues), \(body)}".utf8), file: "config.json")
    }

    func problem(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(body)
            XCTFail("expected a config error", file: file, line: line)
            return ""
        } catch { return "\(error)" }
    }

    func testPoliciesDefaultsAndSilenceSettings() throws {
        let config = try parse("""
            "sla_policies": {"p1": {"calendar": "office", "first_response": "1h", "resolution": "1h30m", "warn_at": 0.75,
                                    "escalate_to": "Lead@Example.com"},
                             "wall": {"calendar": "24x7", "resolution": "2d"}, "standard": {"first_response": "4h"}},
            "sla_defaults": {"urgent": "p1", "billing/*": "wall", "*": "standard"},
            "pause_statuses": ["pending", "new"], "auto_resolve_after": {"billing": "3d", "*": 10}, "auto_close_after": 0
            """)
        let sla = config.sla
        let p1 = try XCTUnwrap(sla.policies["p1"])
        XCTAssertEqual(p1.calendar.name, "office")
        XCTAssertEqual(p1.targets, [.firstResponse: 3600, .resolution: 5400])
        XCTAssertEqual(p1.warnAt, 0.75)
        XCTAssertEqual(p1.escalateTo, "lead@example.com")
        XCTAssertEqual(sla.policies["standard"]?.calendar, .always, "calendar defaults to 24x7")
        XCTAssertEqual(sla.policy(requested: nil, queue: "support", priority: .urgent)?.name, "p1")
        XCTAssertEqual(sla.policy(requested: nil, queue: "billing", priority: .urgent)?.name, "wall", "queue/* beats a bare priority")
        XCTAssertEqual(sla.policy(requested: nil, queue: "support", priority: .low)?.name, "standard")
        XCTAssertEqual(sla.policy(requested: "p1", queue: "billing", priority: .low)?.name, "p1", "a rule's choice wins")
        XCTAssertEqual(sla.pauseStatuses, [.pending, .new])
        XCTAssertEqual(sla.autoResolveSeconds(queue: "billing"), 3 * 86_400)
        XCTAssertEqual(sla.autoResolveSeconds(queue: "support"), 10 * 86_400)
        XCTAssertEqual(sla.autoCloseAfter, 0)
    }

    func testDefaultsWithoutSLAKeys() throws {
        let sla = try parse(#""reopen_window_days": 10"#).sla
        XCTAssertEqual(sla.policies, [:])
        XCTAssertEqual(sla.pauseStatuses, [.pending])
        XCTAssertEqual(sla.autoResolveSeconds(queue: "support"), 7 * 86_400)
        XCTAssertEqual(sla.autoCloseAfter, 10 * 86_400, "aligned with reopen_window_days")
        XCTAssertNil(sla.policy(requested: nil, queue: "support", priority: .urgent))
    }

    func testMistakesNameFileKeyAndReason() {
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"calendar": "office", "resolution": "2d"}}"#),
                       "config.json: sla_policies.p1.resolution: days are 24 hours and count only with the 24x7 calendar; give working hours (e.g. 16h) for office")
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"calendar": "night", "resolution": "2h"}}"#),
                       "config.json: sla_policies.p1.calendar: names no calendar defined under calendars (or 24x7)")
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"resolution": "4 hours"}}"#),
                       #"config.json: sla_policies.p1.resolution: "4 hours" is not a duration like 4h, 90m, 1h30m or 2d"#)
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"calendar": "office"}}"#),
                       "config.json: sla_policies.p1: promises nothing: give first_response, next_response or resolution")
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"resolution": "2h", "warn_at": 80}}"#),
                       "config.json: sla_policies.p1.warn_at: must be a share between 0 and 1, like 0.8")
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"resolution": "2h", "first_reponse": "1h"}}"#),
                       #"config.json: sla_policies.p1.first_reponse: unknown key (did you mean "first_response"?)"#)
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"resolution": "2h"}}, "sla_defaults": {"*": "p2"}"#),
                       "config.json: sla_defaults.*: names no policy defined under sla_policies")
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"resolution": "2h"}}, "sla_defaults": {"critical": "p1"}"#),
                       "config.json: sla_defaults.critical: must be a priority (low, normal, high, urgent, *) or queue/priority")
        XCTAssertEqual(problem(#""sla_policies": {"p1": {"resolution": "2h"}}, "sla_defaults": {"sales/*": "p1"}"#),
                       "config.json: sla_defaults.sales/*: names no queue defined under queues")
        XCTAssertEqual(problem(#""pause_statuses": ["resolved"]"#),
                       "config.json: pause_statuses[0]: must be new, open or pending (resolved and closed stop the clocks anyway)")
        XCTAssertEqual(problem(#""auto_resolve_after": "a week""#),
                       #"config.json: auto_resolve_after: "a week" is not a duration like 4h, 90m, 1h30m or 2d"#)
        XCTAssertEqual(problem(#""auto_resolve_after": {"sales": "3d"}"#), "config.json: auto_resolve_after.sales: names no queue defined under queues")
    }
}
