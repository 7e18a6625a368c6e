import XCTest
import TestSupport
@testable import Ticketing

/// SLA clocks over a Kyiv office (weekdays 09:00-13:00 and 14:00-18:00): policy "p1" promises a
/// first response in 1 h, a next response in 2 h and resolution in 8 h, warning at 80 %.
/// December 2026: Monday the 7th.
final class SLAClockTests: XCTestCase {
    static let office = WorkingCalendar(name: "office", timeZone: TimeZone(identifier: "Europe/Kyiv")!,
                                        hours: try! WeeklyHours.parse("mon-fri 09:00-13:00,14:00-18:00"))
    let p1 = SLAPolicy(name: "p1", calendar: office,
                       targets: [.firstResponse: 3600, .nextResponse: 2 * 3600, .resolution: 8 * 3600], warnAt: 0.8)

    func at(_ text: String) -> Date { localDate("2026-12-" + text, zone: "Europe/Kyiv") }

    func state(_ target: SLATarget, _ history: [SLAFact], now: Date, policy: SLAPolicy? = nil) -> SLATargetState? {
        SLAClock(policy: policy ?? p1).evaluate(history, now: now).first { $0.target == target }
    }

    func testDeadlinesOfANewTicketCountWorkingTimeOnly() throws {
        let history = [SLAFact(.created(.new), at: at("07 10:00"))]
        let first = try XCTUnwrap(state(.firstResponse, history, now: at("07 10:30")))
        XCTAssertEqual(first.phase, .running)
        XCTAssertEqual(first.due, at("07 11:00"))
        XCTAssertEqual(first.warnAt, at("07 10:48"), "80 % of an hour")
        XCTAssertEqual(first.usedSeconds, 1800)
        XCTAssertNil(first.breachedAt)
        let resolution = try XCTUnwrap(state(.resolution, history, now: at("07 10:30")))
        XCTAssertEqual(resolution.due, at("08 10:00"), "3 h before lunch, 4 h after, 1 h next morning")
        XCTAssertNil(state(.nextResponse, history, now: at("07 10:30")), "no next response before a first one")
    }

    func testATicketAt1755WithAThirtyMinuteTarget() {
        let quick = SLAPolicy(name: "quick", calendar: Self.office, targets: [.firstResponse: 1800])
        XCTAssertEqual(state(.firstResponse, [SLAFact(.created(.new), at: at("08 17:55"))], now: at("08 17:56"), policy: quick)?.due,
                       at("09 09:25"))
    }

    func testCreatedOutsideHoursStartsCountingWhenHoursBegin() {
        let history = [SLAFact(.created(.new), at: at("12 15:00"))]
        let first = state(.firstResponse, history, now: at("13 23:00"))
        XCTAssertEqual(first?.due, at("14 10:00"), "Saturday's ticket: Monday 09:00 + 1 h")
        XCTAssertEqual(first?.usedSeconds, 0)
        XCTAssertEqual(first?.phase, .running)
    }

    func testFirstResponseIsMetByTheFirstRelayedReplyInTimeOrLate() {
        let created = SLAFact(.created(.new), at: at("07 10:00"))
        let inTime = state(.firstResponse, [created, SLAFact(.agentReplied, at: at("07 10:40"))], now: at("07 15:00"))
        XCTAssertEqual(inTime?.phase, .met)
        XCTAssertEqual(inTime?.metAt, at("07 10:40"))
        XCTAssertNil(inTime?.breachedAt)
        XCTAssertEqual(inTime?.usedSeconds, 2400)
        let late = state(.firstResponse, [created, SLAFact(.agentReplied, at: at("07 11:10"))], now: at("07 15:00"))
        XCTAssertEqual(late?.phase, .met)
        XCTAssertEqual(late?.breachedAt, at("07 11:00"), "met, but after the deadline")
        let unmet = state(.firstResponse, [created], now: at("07 11:00"))
        XCTAssertEqual(unmet?.breachedAt, at("07 11:00"), "breached at the deadline itself")
    }

    func testPendingPausesTheClockAndTheCustomersReplyResumesIt() throws {
        let history = [
            SLAFact(.created(.new), at: at("07 10:00")),
            SLAFact(.agentReplied, at: at("07 10:20")),
            SLAFact(.status(.pending), at: at("07 10:30")),
            SLAFact(.customerWrote, at: at("07 15:00")),
            SLAFact(.status(.open), at: at("07 15:00")),
        ]
        let paused = try XCTUnwrap(state(.resolution, Array(history.prefix(3)), now: at("07 12:00")))
        XCTAssertEqual(paused.phase, .paused)
        XCTAssertNil(paused.due, "no deadline while the team waits on the customer")
        XCTAssertEqual(paused.remainingSeconds, 7 * 3600 + 1800)
        let resumed = try XCTUnwrap(state(.resolution, history, now: at("07 15:00")))
        XCTAssertEqual(resumed.phase, .running)
        XCTAssertEqual(resumed.due, at("08 14:30"), "30 m used before the pause; 3 h + 4 h + 30 m after 15:00")
        XCTAssertEqual(state(.nextResponse, history, now: at("07 15:00"))?.due, at("07 17:00"))
    }

    func testResolvedMeetsResolutionAndAReopenRunsOnWithTheTimeUsed() {
        var history = [SLAFact(.created(.new), at: at("07 10:00")), SLAFact(.status(.resolved), at: at("07 12:00"))]
        XCTAssertEqual(state(.resolution, history, now: at("07 12:00"))?.phase, .met)
        XCTAssertEqual(state(.firstResponse, history, now: at("07 12:00"))?.phase, .stopped, "resolved without a reply: nothing to answer")
        XCTAssertEqual(state(.firstResponse, history, now: at("07 12:00"))?.breachedAt, at("07 11:00"))
        history.append(SLAFact(.status(.open), at: at("08 09:00")))
        let reopened = state(.resolution, history, now: at("08 09:00"))
        XCTAssertEqual(reopened?.phase, .running)
        XCTAssertEqual(reopened?.usedSeconds, 2 * 3600)
        XCTAssertEqual(reopened?.due, at("08 16:00"), "6 h left: 09-13 and 14-16")
    }

    func testNextResponseRestartsOnTheFirstCustomerMessageAfterEachReply() throws {
        var history = [
            SLAFact(.created(.new), at: at("07 09:00")),
            SLAFact(.agentReplied, at: at("07 09:30")),
            SLAFact(.customerWrote, at: at("07 11:00")),
        ]
        XCTAssertEqual(state(.nextResponse, history, now: at("07 11:00"))?.due, at("07 13:00"), "two hours to lunch, due as the office breaks")
        history.append(SLAFact(.customerWrote, at: at("07 12:00")))
        XCTAssertEqual(state(.nextResponse, history, now: at("07 12:00"))?.due, at("07 13:00"), "a second message buys no time")
        history.append(SLAFact(.agentReplied, at: at("07 12:30")))
        let met = try XCTUnwrap(state(.nextResponse, history, now: at("07 12:30")))
        XCTAssertEqual(met.phase, .met)
        XCTAssertEqual(met.cycleStart, at("07 11:00"))
        history.append(SLAFact(.customerWrote, at: at("08 09:00")))
        let next = try XCTUnwrap(state(.nextResponse, history, now: at("08 09:00")))
        XCTAssertEqual(next.phase, .running)
        XCTAssertEqual(next.cycleStart, at("08 09:00"))
        XCTAssertEqual(next.due, at("08 11:00"))
    }

    func testAPriorityChangeRetimesFromHistoryInsteadOfStartingOver() {
        let standard = SLAPolicy(name: "standard", calendar: Self.office, targets: [.firstResponse: 4 * 3600])
        let history = [SLAFact(.created(.new), at: at("07 10:00"))]
        XCTAssertEqual(state(.firstResponse, history, now: at("07 11:30"), policy: standard)?.due, at("07 15:00"))
        // At 11:30 the ticket becomes urgent (p1): its hour was counted from creation, not from now.
        let urgent = state(.firstResponse, history, now: at("07 11:30"))
        XCTAssertEqual(urgent?.due, at("07 11:00"))
        XCTAssertEqual(urgent?.breachedAt, at("07 11:00"))
    }

    func testWallClockPolicyCountsDays() {
        let always = SLAPolicy(name: "24x7", calendar: .always, targets: [.resolution: 2 * 86_400])
        let history = [SLAFact(.created(.new), at: at("12 15:00"))]
        XCTAssertEqual(state(.resolution, history, now: at("12 16:00"), policy: always)?.due, at("14 15:00"))
    }

    func testDeadlinesFollowTheOfficeWallClockOverDST() {
        let history = [SLAFact(.created(.new), at: localDate("2026-03-27 17:30", zone: "Europe/Kyiv"))]
        XCTAssertEqual(state(.firstResponse, history, now: localDate("2026-03-27 17:30", zone: "Europe/Kyiv"))?.due,
                       localDate("2026-03-30 09:30", zone: "Europe/Kyiv"))
    }

    /// For random calendars and random pauses, the time the resolution clock used equals a
    /// minute-by-minute count of minutes that are working time and not paused.
    func testUsedTimeEqualsABruteForceCountUnderRandomPauses() {
        var rng = SeededGenerator(seed: 1515)
        for round in 0..<40 {
            let cal = CalendarPropertyTests.randomCalendar(&rng)
            var foundation = Calendar(identifier: .gregorian)
            foundation.timeZone = cal.timeZone
            let start = Double(CivilDate("2026-10-22")!.dayNumber) * 86_400 + Double(Int.random(in: 0..<1440, using: &rng)) * 60
            var history = [SLAFact(.created(.new), at: Date(timeIntervalSince1970: start))]
            var status = TicketStatus.new
            var t = start
            var changes: [(TimeInterval, TicketStatus)] = [(start, .new)]
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                t += Double(Int.random(in: 1...1440, using: &rng)) * 60
                status = status == .pending ? .open : .pending
                history.append(SLAFact(.status(status), at: Date(timeIntervalSince1970: t)))
                changes.append((t, status))
            }
            let end = t + Double(Int.random(in: 0...2880, using: &rng)) * 60
            var minutes = 0
            var m = start
            while m < end {
                let current = changes.last { $0.0 <= m }!.1
                if current != .pending && CalendarPropertyTests.bruteOpen(cal, Date(timeIntervalSince1970: m), foundation) { minutes += 1 }
                m += 60
            }
            let policy = SLAPolicy(name: "r", calendar: cal, targets: [.resolution: 10_000 * 3600])
            let used = SLAClock(policy: policy).evaluate(history, now: Date(timeIntervalSince1970: end)).first?.usedSeconds
            XCTAssertEqual(used, minutes * 60, "round \(round): \(cal.timeZone.identifier) \(cal.hours)")
        }
    }
}
