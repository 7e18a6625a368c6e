@testable import Ticketing
import XCTest

/// Every figure of a report, checked against a small desk worked out by hand:
/// four days from Monday 2026-11-02 00:00 UTC, by day, "now" at the end.
final class ReportBuilderTests: XCTestCase {
    static let base: Int64 = 1_793_577_600
    static let h: Int64 = 3_600
    func at(_ hours: Int64) -> Int64 { Self.base + hours * Self.h }

    /// Business time is a third of wall time: enough to see the calendar's figures are used.
    struct ThirdOfWallTime: BusinessClock {
        func businessSeconds(queue: String, from: Int64, to: Int64) -> Int64? { (to - from) / 3 }
    }

    var input: ReportInput {
        let tickets = [
            // A: answered in 1 h, resolved after 5 h (ann, a.test)
            TicketFacts(created: at(0), firstResponse: at(1), firstResolved: at(5), resolved: at(5), status: .resolved, statusSince: at(5),
                        agent: 0, domain: 0),
            // B: answered in 2 h, resolved at 10 h, reopened: open again since 20 h (bob, b.test)
            TicketFacts(created: at(2), firstResponse: at(4), firstResolved: at(10), resolved: nil, reopened: 1, status: .open,
                        statusSince: at(20), agent: 1, domain: 1),
            // C: answered in 2 h, resolved after a day, closed at 72 h (ann, a.test)
            TicketFacts(created: at(24), firstResponse: at(26), firstResolved: at(48), resolved: at(48), closed: at(72), status: .closed,
                        statusSince: at(72), agent: 0, domain: 0),
            // D: new, never answered (unassigned, c.test)
            TicketFacts(created: at(30), status: .new, statusSince: at(30), domain: 2),
            // E: from before the range, pending since -10 h (bob)
            TicketFacts(created: at(-48), status: .pending, statusSince: at(-10), agent: 1, domain: 1),
        ]
        let day0 = Self.base / 86_400
        return ReportInput(tickets: tickets, agents: ["ann@desk.test", "bob@desk.test"], queues: ["support"],
                           domains: ["a.test", "b.test", "c.test"],
                           messages: [DailyMessageCount(day: day0, messageClass: "human", count: 3),
                                      DailyMessageCount(day: day0, messageClass: "auto-reply", count: 1),
                                      DailyMessageCount(day: day0 + 1, messageClass: "bounce", count: 1),
                                      DailyMessageCount(day: day0 - 1, messageClass: "human", count: 5)],
                           ratings: [RatingFacts(at: at(6), good: true, agent: 0, queue: 0),
                                     RatingFacts(at: at(50), good: false, agent: 0, queue: 0),
                                     RatingFacts(at: at(-1), good: true, agent: 1, queue: 0)])
    }

    func build(business: (any BusinessClock)? = nil) -> Report {
        ReportBuilder.build(input, from: at(0), to: at(96), granularity: .day, now: at(96), business: business)
    }

    func testTotalsCountTheRangeAndTheBacklogAtItsEnd() {
        let t = build().totals
        XCTAssertEqual(t.created, 4)
        XCTAssertEqual(t.resolved, 2, "A and C; B is open again")
        XCTAssertEqual(t.closed, 1)
        XCTAssertEqual(t.firstResolved, 3)
        XCTAssertEqual(t.reopened, 1)
        XCTAssertEqual(t.reopenRate!, 1.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(t.backlog, 3, "B, D and E")
    }

    func testFirstResponseAndResolutionMedianP90AndMean() {
        let r = build()
        XCTAssertEqual(r.firstResponse.wall, Distribution(count: 3, median: 7_200, p90: 7_200, mean: 6_000))
        XCTAssertEqual(r.firstResponse.missing, 1)
        XCTAssertEqual(r.resolution.wall, Distribution(count: 2, median: 52_200, p90: 86_400, mean: 52_200))
        XCTAssertEqual(r.resolution.missing, 2)
        XCTAssertEqual(r.firstResponse.histogram, [0, 3, 0, 0, 0, 0, 0], "1 h and 2 h fall in 1-4h")
        XCTAssertEqual(r.resolution.histogram, [0, 0, 1, 0, 1, 0, 0], "5 h in 4-8h, 24 h in 1-3d")
        XCTAssertNil(r.firstResponse.business, "no calendar: no business figures")
    }

    func testBusinessTimeComesFromTheQueuesCalendar() {
        let r = build(business: ThirdOfWallTime())
        XCTAssertEqual(r.firstResponse.business, Distribution(count: 3, median: 2_400, p90: 2_400, mean: 2_000))
        XCTAssertEqual(r.resolution.business?.median, 17_400)
    }

    func testPeriodsCarryTheBacklogForward() {
        let p = build().periods
        XCTAssertEqual(p.map(\.start), [at(0), at(24), at(48), at(72)])
        XCTAssertEqual(p.map(\.created), [2, 2, 0, 0])
        XCTAssertEqual(p.map(\.resolved), [1, 0, 1, 0])
        XCTAssertEqual(p.map(\.closed), [0, 0, 0, 1])
        XCTAssertEqual(p.map(\.backlog), [2, 4, 3, 3], "E was open at the start")
        XCTAssertEqual(p.map(\.ratingsGood), [1, 0, 0, 0])
        XCTAssertEqual(p.map(\.ratingsBad), [0, 0, 1, 0])
    }

    func testAgentsLoadAndSatisfaction() {
        let a = build().agents
        XCTAssertEqual(a.map(\.agent), ["ann@desk.test", "bob@desk.test"])
        XCTAssertEqual(a[0], Report.Agent(agent: "ann@desk.test", handled: 2, resolved: 2, open: 0, medianFirstResponse: 5_400,
                                          satisfaction: 0.5, ratings: 2))
        XCTAssertEqual(a[1], Report.Agent(agent: "bob@desk.test", handled: 1, resolved: 0, open: 2, medianFirstResponse: 7_200,
                                          satisfaction: nil, ratings: 0))
        XCTAssertEqual(build().satisfaction, 0.5)
        XCTAssertEqual(build().ratings, 2, "the rating before the range is left out")
    }

    func testRequesterDomainsAndMessageMix() {
        let r = build()
        XCTAssertEqual(r.domains, [Report.Group(name: "a.test", tickets: 2, medianResolution: 52_200),
                                   Report.Group(name: "b.test", tickets: 1, medianResolution: nil),
                                   Report.Group(name: "c.test", tickets: 1, medianResolution: nil)])
        XCTAssertEqual(r.categories, [])
        XCTAssertNil(r.sla)
        XCTAssertEqual(r.messages, Report.MessageMix(total: 5, human: 3, autoReply: 1, bounce: 1, list: 0, spam: nil))
    }

    func testWhereTicketsWait() {
        let ages = build().statusAges
        XCTAssertEqual(ages.map(\.status), [.new, .open, .pending])
        XCTAssertEqual(ages.map(\.tickets), [1, 1, 1])
        XCTAssertEqual(ages.map(\.median), [66 * 3_600, 76 * 3_600, 106 * 3_600])
        XCTAssertEqual(ages[0].histogram, [0, 0, 0, 1, 0, 0, 0], "66 h is 1-3d")
        XCTAssertEqual(ages[2].histogram, [0, 0, 0, 0, 1, 0, 0], "106 h is 3-7d")
    }

    func testSLAAndCategoriesWhenRecorded() {
        var i = input
        i.categories = ["printing", "billing"]
        i.tickets[0].category = 0
        i.tickets[2].category = 0
        i.tickets[1].category = 1
        i.tickets[0].sla = SLAOutcomes(["first_response": .met, "resolution": .met])
        i.tickets[1].sla = SLAOutcomes(["first_response": .met])
        i.tickets[2].sla = SLAOutcomes(["first_response": .breached])
        i.tickets[3].sla = SLAOutcomes(["resolution": .undecided])
        i.tickets[4].sla = SLAOutcomes(["first_response": .breached, "next_response": .breached])
        let r = ReportBuilder.build(i, from: at(0), to: at(96), granularity: .day, now: at(96))
        XCTAssertEqual(r.sla, Report.SLA(met: 3, breached: 1, targets: [SLACount(target: "first_response", met: 2, breached: 1),
                                                                      SLACount(target: "resolution", met: 1, breached: 0)]),
                       "tickets created in the range; a clock neither met nor breached still names its target; E is older")
        XCTAssertEqual(r.categories, [Report.Group(name: "printing", tickets: 2, medianResolution: 52_200),
                                      Report.Group(name: "billing", tickets: 1, medianResolution: nil)])
    }

    func testDistributionDefinitions() {
        XCTAssertEqual(Distribution([]), Distribution(count: 0, median: nil, p90: nil, mean: nil))
        XCTAssertEqual(Distribution([5]), Distribution(count: 1, median: 5, p90: 5, mean: 5))
        XCTAssertEqual(Distribution([4, 1, 3, 2]).median, 2, "(2 + 3) / 2 rounded down")
        XCTAssertEqual(Distribution(Array(1...10)).p90, 9, "nearest rank: the 9th of 10")
        XCTAssertEqual(Distribution(Array(1...11)).p90, 10, "the ⌈9.9⌉ = 10th of 11")
    }

    func testDistributionBySelectionAgreesWithTheSortedDefinition() {
        func bySorting(_ values: [Int64]) -> Distribution {
            let s = values.sorted(), n = s.count
            return Distribution(count: n, median: n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2,
                                p90: s[max(0, (9 * n + 9) / 10 - 1)], mean: s.reduce(0, +) / Int64(n))
        }
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        var cases: [[Int64]] = [[3, 3], [2, 1], [7, 7, 7, 7, 7], Array(1...1000), Array((1...1001).reversed()),
                                [Int64](repeating: 0, count: 500) + [86_400]]
        for n in [2, 3, 9, 10, 11, 100, 1_001, 20_000] {
            cases.append((0..<n).map { _ in next(1_000_000) })
            cases.append((0..<n).map { _ in next(4) * 3_600 })  // few distinct values, many ties
        }
        for values in cases {
            XCTAssertEqual(Distribution(values), bySorting(values), "\(values.count) values starting \(values.prefix(4))")
        }
        // A group's median alone (agents, queues, domains, categories), selected where its
        // durations lie: the same figure; the groups' durations come interleaved, as tickets do.
        var grouped = GroupedDurations()
        for i in 0..<cases.map(\.count).max()! {
            for (group, values) in cases.enumerated() where i < values.count { grouped.append(values[i], group: group) }
        }
        XCTAssertEqual(grouped.medians(count: cases.count + 1), cases.map { bySorting($0).median } + [nil], "a group without durations has none")
    }

    func testPeriodsStartOnUTCDaysMondaysAndFirstsOfMonths() {
        let wednesday = at(50)
        XCTAssertEqual(ReportGranularity.day.start(of: wednesday), at(48))
        XCTAssertEqual(ReportGranularity.week.start(of: wednesday), at(0), "2026-11-02 is a Monday")
        XCTAssertEqual(ReportGranularity.week.start(of: at(0)), at(0))
        XCTAssertEqual(ReportGranularity.week.start(of: at(-1)), at(-24 * 7))
        XCTAssertEqual(ReportGranularity.month.start(of: wednesday), 1_793_491_200, "2026-11-01")
        XCTAssertEqual(ReportGranularity.month.next(after: 1_793_491_200), 1_796_083_200, "2026-12-01")
        XCTAssertEqual(ReportGranularity.month.starts(from: at(0), to: 1_796_083_201), [1_793_491_200, 1_796_083_200])
    }

    func testEveryTimeOfTheRangeFallsInThePeriodHoldingIt() {
        let from = at(5), to = at(24 * 75 + 7)  // mid-morning to mid-morning, across two month ends
        for g in ReportGranularity.allCases {
            let starts = g.starts(from: from, to: to)
            let periods = PeriodIndex(starts: starts, from: from, to: to)
            let times = Array(stride(from: from - 3_600, to: to + 3_600, by: 1_799)) + starts.flatMap { [$0 - 1, $0] } + [from, to - 1, to]
            for t in times {
                XCTAssertEqual(periods.period(t), t >= from && t < to ? starts.lastIndex { $0 <= t } : nil, "\(g) at \(t)")
            }
        }
    }
}
