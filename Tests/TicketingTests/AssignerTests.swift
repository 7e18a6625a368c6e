import Foundation
import TestSupport
@testable import Ticketing
import XCTest

/// Assignment strategies against a fixed roster and a clock set by hand.
final class AssignerTests: XCTestCase {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func hours(_ text: String, _ zone: TimeZone) -> WorkingCalendar {
        WorkingCalendar(name: "agent", timeZone: zone, hours: try! WeeklyHours.parse(text))
    }

    /// 2026-12-07 (a Monday) at `hour`:`minute` UTC, plus `days`.
    func at(_ hour: Int, _ minute: Int = 0, days: Int = 0) -> Date {
        Date(timeIntervalSince1970: 1_796_601_600 + Double(days * 86_400 + hour * 3600 + minute * 60))
    }

    lazy var roster = Assigner(agents: [
        AgentProfile(email: "alice@desk", groups: ["billing"], hours: hours("mon-fri 09:00-17:30", berlin)),
        AgentProfile(email: "bob@desk", groups: ["billing"], hours: hours("mon-fri 09:00-17:30", newYork)),
        AgentProfile(email: "carol@desk", groups: ["billing"], maxOpen: 2),
        AgentProfile(email: "dave@desk", groups: ["billing"], away: true),
    ])

    func testTheClockIsWhatTheTestsThinkItIs() {
        XCTAssertEqual(UTCTimestamp.iso(at(0), milliseconds: false), "2026-12-07T00:00:00Z")
    }

    func testRoundRobinRotatesThroughAgentsOnDutyAndSkipsTheRest() {
        let target = AssignTarget.group("billing", strategy: .roundRobin, prefer: nil)
        // 15:00 UTC: alice (16:00 Berlin) and bob (10:00 New York) work; carol has no hours; dave is away.
        var last: [String: String] = [:]
        var picked: [String] = []
        for _ in 0..<5 {
            let d = roster.assign(target, context: .init(lastInRotation: last), loads: [:], at: at(15))
            picked.append(d.assignee ?? "-")
            last[d.rotation!.group] = d.rotation!.agent
        }
        XCTAssertEqual(picked, ["alice@desk", "bob@desk", "carol@desk", "alice@desk", "bob@desk"])
        // 08:00 UTC: bob is asleep in New York (03:00): the rotation goes from alice to carol.
        let morning = roster.assign(target, context: .init(lastInRotation: ["billing": "alice@desk"]), loads: [:], at: at(8))
        XCTAssertEqual(morning.assignee, "carol@desk")
        XCTAssertTrue(morning.reasoning.contains("bob@desk off duty (mon-fri 09:00-17:30 America/New_York)"), morning.reasoning)
        XCTAssertTrue(morning.reasoning.contains("dave@desk away"), morning.reasoning)
        // Carol at capacity: back to alice.
        let full = roster.assign(target, context: .init(lastInRotation: ["billing": "alice@desk"]),
                                 loads: ["carol@desk": AgentLoad(open: 2)], at: at(8))
        XCTAssertEqual(full.assignee, "alice@desk")
        XCTAssertTrue(full.reasoning.contains("carol@desk at capacity (2/2 open)"), full.reasoning)
    }

    func testRoundRobinPositionSurvivesARestartBecauseItIsTheLastAgentNotAnIndex() {
        let target = AssignTarget.group("billing", strategy: .roundRobin, prefer: nil)
        // A fresh Assigner (a restart) given the persisted last agent continues after it.
        let fresh = Assigner(agents: roster.agents)
        XCTAssertEqual(fresh.assign(target, context: .init(lastInRotation: ["billing": "bob@desk"]), loads: [:], at: at(15)).assignee,
                       "carol@desk")
        // A last agent who left the roster restarts the rotation at the top.
        XCTAssertEqual(fresh.assign(target, context: .init(lastInRotation: ["billing": "gone@desk"]), loads: [:], at: at(15)).assignee,
                       "alice@desk")
    }

    func testLeastOpenPicksTheLightestAndBreaksTiesByLongestWait() {
        let target = AssignTarget.group("billing", strategy: .leastOpen, prefer: nil)
        let loads = ["alice@desk": AgentLoad(open: 3), "bob@desk": AgentLoad(open: 1), "carol@desk": AgentLoad(open: 1, lastAssignedAt: at(1))]
        XCTAssertEqual(roster.assign(target, context: .init(), loads: loads, at: at(15)).assignee, "bob@desk",
                       "bob never had one assigned: he waited longest")
        var tie = loads
        tie["bob@desk"] = AgentLoad(open: 1, lastAssignedAt: at(2))
        XCTAssertEqual(roster.assign(target, context: .init(), loads: tie, at: at(15)).assignee, "carol@desk")
        XCTAssertNil(roster.assign(target, context: .init(), loads: loads, at: at(15)).rotation, "least_open keeps no rotation")
    }

    func testPreferAccountManagerAndLastAgentWhenOnDuty() {
        let target = AssignTarget.group("billing", strategy: .leastOpen, prefer: .accountManager)
        let loads = ["alice@desk": AgentLoad(open: 9)]
        XCTAssertEqual(roster.assign(target, context: .init(accountManager: "alice@desk"), loads: loads, at: at(15)).assignee, "alice@desk")
        let night = roster.assign(target, context: .init(accountManager: "alice@desk"), loads: loads, at: at(20))
        XCTAssertEqual(night.assignee, "bob@desk", "the manager is off duty (21:00 in Berlin): least_open decides")
        XCTAssertTrue(night.reasoning.contains("account_manager alice@desk off duty"), night.reasoning)
        let last = AssignTarget.group("billing", strategy: .roundRobin, prefer: .lastAgent)
        XCTAssertEqual(roster.assign(last, context: .init(lastAgent: "bob@desk"), loads: [:], at: at(15)).assignee, "bob@desk")
    }

    func testNobodyOnDutyLeavesTheTicketWaitingUntilHoursBeginInTheAgentsOwnZone() {
        let team = Assigner(agents: [AgentProfile(email: "bob@desk", groups: ["support"], hours: hours("mon-fri 09:00-17:30", newYork))])
        let target = AssignTarget.group("support", strategy: .roundRobin, prefer: nil)
        // Saturday 2026-12-12 10:00 UTC.
        let saturday = team.assign(target, context: .init(), loads: [:], at: at(10, days: 5))
        XCTAssertNil(saturday.assignee)
        XCTAssertEqual(saturday.waiting, target)
        XCTAssertTrue(saturday.reasoning.hasSuffix("nobody on duty; waits unassigned"), saturday.reasoning)
        // Monday 09:00 in New York is 14:00 UTC in December: not at 13:59, yes at 14:00.
        XCTAssertNil(team.assign(target, context: .init(), loads: [:], at: at(13, 59, days: 7)).assignee)
        XCTAssertEqual(team.assign(target, context: .init(), loads: [:], at: at(14, days: 7)).assignee, "bob@desk")
    }

    func testWorkingHoursFollowTheAgentsZoneAcrossADSTChange() {
        let team = Assigner(agents: [AgentProfile(email: "alice@desk", groups: ["g"], hours: hours("mon-fri 09:00-17:30", berlin))])
        let target = AssignTarget.agent("alice@desk")
        // Berlin moves to summer time on Sunday 2027-03-28: Friday 09:00 is 08:00 UTC, Monday 09:00 is 07:00 UTC.
        let friday = 1_806_019_200.0, monday = 1_806_278_400.0
        func who(_ t: Double) -> String? { team.assign(target, context: .init(), loads: [:], at: Date(timeIntervalSince1970: t)).assignee }
        XCTAssertNil(who(friday + 7 * 3600 + 59 * 60), "Friday 07:59 UTC is 08:59 in Berlin (CET)")
        XCTAssertEqual(who(friday + 8 * 3600), "alice@desk", "Friday 08:00 UTC is 09:00 CET")
        XCTAssertNil(who(monday + 6 * 3600 + 59 * 60), "Monday 06:59 UTC is 08:59 in Berlin (CEST)")
        XCTAssertEqual(who(monday + 7 * 3600), "alice@desk", "Monday 07:00 UTC is 09:00 CEST")
    }

    func testADirectAssignmentWaitsForThatAgentToComeOnDuty() {
        let d = roster.assign(.agent("alice@desk"), context: .init(), loads: [:], at: at(20))
        XCTAssertNil(d.assignee)
        XCTAssertEqual(d.waiting, .agent("alice@desk"))
        XCTAssertEqual(roster.assign(.agent("alice@desk"), context: .init(), loads: [:], at: at(9)).assignee, "alice@desk")
        XCTAssertEqual(roster.assign(.agent("dave@desk"), context: .init(), loads: [:], at: at(9)).waiting, .agent("dave@desk"), "away")
    }

    func testOnlyTheLoadsAndFactsThatDecideAreAskedFor() {
        let lastAgent = Assigner.Context(accountManager: "erin@desk", lastAgent: "bob@desk")
        // least_open compares every member's load (and the preferred agent's).
        XCTAssertEqual(roster.candidates(for: .group("billing", strategy: .leastOpen, prefer: nil), context: .init()),
                       ["alice@desk", "bob@desk", "carol@desk", "dave@desk"])
        XCTAssertEqual(roster.candidates(for: .group("billing", strategy: .leastOpen, prefer: .accountManager), context: lastAgent),
                       ["alice@desk", "bob@desk", "carol@desk", "dave@desk", "erin@desk"])
        // Round robin and a named agent: a load matters only against a max_open (carol's).
        XCTAssertEqual(roster.candidates(for: .group("billing", strategy: .roundRobin, prefer: .lastAgent), context: lastAgent), ["carol@desk"])
        XCTAssertEqual(roster.candidates(for: .agent("alice@desk"), context: .init()), [])
        XCTAssertEqual(roster.candidates(for: .agent("carol@desk"), context: .init()), ["carol@desk"])
        // The requester's last agent only for prefer: last_agent, the rotation only for round robin.
        XCTAssertTrue(Assigner.reads(.group("g", strategy: .leastOpen, prefer: .lastAgent)) == (true, false))
        XCTAssertTrue(Assigner.reads(.group("g", strategy: .roundRobin, prefer: .accountManager)) == (false, true))
        XCTAssertTrue(Assigner.reads(.agent("alice@desk")) == (false, false))
        // What is not read does not change the decision: round robin without loads still skips carol at capacity.
        let full = roster.assign(.group("billing", strategy: .roundRobin, prefer: nil), context: .init(lastInRotation: ["billing": "alice@desk"]),
                                 loads: ["carol@desk": AgentLoad(open: 2)], at: at(8))
        XCTAssertEqual(full.assignee, "alice@desk")
    }
}
