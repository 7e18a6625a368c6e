import Foundation
import TestSupport
@testable import Ticketing
import XCTest

/// The rules and assignment steps inside the pipeline, without a store.
final class RoutingStepsTests: XCTestCase {
    let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5, plusAddressBases: ["support@desk.example.com"])
    let own: Set<String> = ["support@desk.example.com", "billing@desk.example.com"]
    let agent = "agent1@desk.example.com"
    /// Monday 2026-12-07 10:00 UTC.
    let monday10 = Date(timeIntervalSince1970: 1_796_601_600 + 10 * 3600)

    func always(_ name: String, _ then: [RuleAction], on: Set<Rule.Trigger> = [.new]) -> Rule {
        Rule(name: name, when: .test(.init(field: .from, op: .contains([]), caseSensitive: false, text: "always")), then: then, on: on)
    }

    func pipeline(_ rules: [Rule], queues: [RulesStep.Queue]? = nil,
                  customers: [CustomerProfile] = [], agents: [AgentProfile]? = nil,
                  members: QueueMembers? = nil) -> IntakePipeline {
        let resolver = ThreadResolver(tags: tags, signer: MessageIDSigner(key: TestKeys.key, domain: "desk.example.com"),
                                      strangers: .newTicket, reopenWindow: 14 * 86_400)
        let directory = CustomerDirectory(customers)
        return IntakePipeline(steps: [
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, newSubject: { resolver.subjectForNewTicket($0) }),
            RulesStep(rules: RuleSet(rules), queues: queues ?? [.init(name: "support", addresses: ["support@desk.example.com"]),
                                                                 .init(name: "billing", addresses: ["Billing@desk.example.com"],
                                                                       priority: .high, language: "de")],
                      customers: directory, ownAddresses: own),
            AssignmentStep(assigner: Assigner(agents: agents ?? [AgentProfile(email: agent, groups: ["support"])]), customers: directory),
            NotificationStep(acknowledge: true, agents: members?.everyone ?? [agent], ownAddresses: own,
                             queueAgents: members?.byQueue ?? [:]),
        ])
    }

    let view = InMemoryThreadLookup(
        tickets: [7: TicketSnapshot(number: 7, status: .closed, participants: ["jo@customer.example": .requester],
                                    subject: "Printer", queue: "support", requester: "jo@customer.example"),
                  9: TicketSnapshot(number: 9, status: .open, participants: ["jo@customer.example": .requester],
                                    subject: "Printer", queue: "support", requester: "jo@customer.example")],
        agents: ["agent1@desk.example.com"])

    func input(to: [String] = ["support@desk.example.com"], subject: String = "Printer", headers: [HeaderField] = [],
               queue: String? = nil, at: Date? = nil) -> PipelineInput {
        PipelineInput(facts: InboundFacts(from: "jo@customer.example", to: to, subject: subject, messageID: "<m1@customer.example>",
                                          headers: headers, bodyText: "Text"),
                      classification: Classification(.human, reasons: []), text: "Text", replyText: "Text", mailbox: "support",
                      mailboxQueue: queue, size: 100, now: at ?? monday10)
    }

    func testTheQueueComesFromTheAddressUnlessTheMailboxNamesOneAndBringsItsDefaults() {
        let plan = pipeline([]).plan(input(to: ["billing@desk.example.com"]), view: view)
        XCTAssertEqual(plan.queue, "billing")
        XCTAssertEqual(plan.state.priority, .high, "the queue's default priority")
        XCTAssertEqual(plan.routing.language, "de")
        XCTAssertEqual(plan.routing.languageSource, "queue")
        XCTAssertEqual(pipeline([]).plan(input(to: ["billing@desk.example.com"], queue: "support"), view: view).queue, "support")
    }

    func testARuleMovingTheQueueBringsThatQueuesLanguageUnlessTheCustomerHasOne() {
        let plan = pipeline([always("to-billing", [.queue("billing")])]).plan(input(), view: view)
        XCTAssertEqual(plan.queue, "billing")
        XCTAssertEqual(plan.routing.language, "de")
        let english = pipeline([always("to-billing", [.queue("billing")])])
            .plan(input(headers: [HeaderField("Content-Language", "en-GB")]), view: view)
        XCTAssertEqual(english.routing.language, "en")
    }

    func testArrivalIsReadInTheQueueCalendarsZone() {
        let office = WorkingCalendar(name: "office", timeZone: TimeZone(identifier: "Asia/Tokyo")!, hours: try! WeeklyHours.parse("mon-fri 09:00-18:00"))
        let queue = RulesStep.Queue(name: "support", addresses: [], calendar: office)
        // Monday 10:00 UTC is 19:00 in Tokyo: after hours, hour 19.
        let a = RulesStep.arrival(at: monday10, in: queue)
        XCTAssertEqual(a, ArrivalFacts(weekday: 1, hour: 19, businessHours: false))
        XCTAssertEqual(RulesStep.arrival(at: monday10, in: nil), ArrivalFacts(weekday: 1, hour: 10, businessHours: true))
        let sunday = RulesStep.arrival(at: monday10 - 86_400, in: nil)
        XCTAssertEqual(sunday.weekday, 7)
    }

    /// Weekday and hour by offset arithmetic agree with Foundation's calendar, in zones east and
    /// west, across DST changes, before 1970 and around midnight.
    func testArrivalAgreesWithTheCalendarInEveryZone() {
        for zone in ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Europe/Kyiv"] {
            let tz = TimeZone(identifier: zone)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = tz
            let queue = RulesStep.Queue(name: "q", timeZone: tz)
            var t = -86_400.0 * 3 - 1
            while t < 1_830_000_000 {
                let date = Date(timeIntervalSince1970: t)
                let parts = calendar.dateComponents([.weekday, .hour], from: date)
                let a = RulesStep.arrival(at: date, in: queue)
                XCTAssertEqual(a.weekday, ((parts.weekday! + 5) % 7) + 1, "\(zone) \(date)")
                XCTAssertEqual(a.hour, parts.hour!, "\(zone) \(date)")
                t += 3_599_017.3 // about 41.7 days: every hour of the day and weekday comes round
            }
        }
    }

    func testSpamAndAcknowledgeFalseSilenceMail() {
        let spam = pipeline([always("junk", [.spam])]).plan(input(), view: view)
        XCTAssertEqual(spam.state.status, .closed)
        XCTAssertEqual(spam.routing.tags, ["spam"])
        XCTAssertEqual(spam.mails, [])
        let quiet = pipeline([always("quiet", [.acknowledge(false)])]).plan(input(), view: view)
        XCTAssertEqual(quiet.mails.map(\.kind), ["new-ticket"])
    }

    func testAFollowUpRuleChangesAreEventsAndADisallowedStatusIsSkippedNotFatal() {
        let rules = [always("bump", [.priority(.urgent), .queue("billing"), .status(.new)], on: [.followUp])]
        let plan = pipeline(rules).plan(input(subject: tags.subject("Printer", taggedWith: 9)), view: view)
        XCTAssertEqual(plan.joinedTicket, 9)
        XCTAssertEqual(plan.state.priority, .urgent)
        XCTAssertEqual(plan.queue, "billing")
        XCTAssertEqual(plan.events.filter { $0.reason == "rule \"bump\"" }.map(\.kind), [.queue, .priority])
        XCTAssertEqual(plan.routing.skipped, ["status open → new is not allowed"])
        XCTAssertEqual(plan.routing.hits.map(\.rule), ["bump"])
        let newOnly = pipeline([always("new-only", [.priority(.urgent)])]).plan(input(subject: tags.subject("Printer", taggedWith: 9)), view: view)
        XCTAssertEqual(newOnly.state.priority, .normal, "rules without follow_up leave follow-ups alone")
    }

    func testAssignmentWaitsWhenNobodyIsOnDutyAndNeverTouchesAnAssignedTicket() {
        let night = AgentProfile(email: agent, groups: ["support"],
                                 hours: WorkingCalendar(name: "a", timeZone: TimeZone(identifier: "UTC")!, hours: try! WeeklyHours.parse("mon-fri 12:00-13:00")))
        let plan = pipeline([always("assign", [.assign(.group("support", strategy: .leastOpen, prefer: nil))])], agents: [night])
            .plan(input(), view: view)
        XCTAssertNil(plan.state.assignee)
        XCTAssertEqual(plan.routing.waiting, .group("support", strategy: .leastOpen, prefer: nil))
        XCTAssertEqual(plan.mails.last?.to, [agent], "an unassigned ticket's notice goes to every agent")
        let direct = pipeline([always("assign", [.assign(.agent(agent))])]).plan(input(), view: view)
        XCTAssertEqual(direct.state.assignee, agent)
        XCTAssertEqual(direct.events.last?.kind, .assignee)
    }

    func testAgentsRepliesRunNoRules() {
        var agentMail = input(subject: tags.subject("Printer", taggedWith: 9))
        agentMail.facts.from = agent
        let plan = pipeline([always("any", [.tags(["x"])], on: [.new, .followUp])]).plan(agentMail, view: view)
        XCTAssertEqual(plan.routing.rules, [])
    }

    /// "The queue's agents" are the queue's members: a ticket a rule moves to billing is
    /// announced to billing's agents only; a queue naming nobody still reaches every agent.
    func testAnUnassignedTicketsNoticeGoesToItsQueuesAgentsOnly() {
        let ann = "ann@desk.example.com", ben = "ben@desk.example.com"
        let members = QueueMembers(agents: [agent, ann, ben], queues: ["billing": [ben, "Ann@desk.example.com"]])
        let billing = pipeline([always("to-billing", [.queue("billing")])], members: members).plan(input(), view: view)
        XCTAssertEqual(billing.queue, "billing")
        XCTAssertEqual(billing.mails.first { $0.event == .newTicket }?.to, [ann, ben], "billing's members, not agent1")
        let support = pipeline([], members: members).plan(input(), view: view)
        XCTAssertEqual(support.mails.first { $0.event == .newTicket }?.to, [agent, ann, ben], "support names nobody: every agent")
        XCTAssertEqual(members.agents(of: "billing"), [ann, ben])
        XCTAssertEqual(members.agents(of: nil), [agent, ann, ben])
    }

    /// A view whose tickets have stored languages.
    struct LanguageView: PipelineView {
        var base: InMemoryThreadLookup
        var languages: [Int: String]
        func ticket(number: Int) -> TicketSnapshot? { base.ticket(number: number) }
        func ticketNumber(forMessageID messageID: String) -> Int? { base.ticketNumber(forMessageID: messageID) }
        func isAgent(_ address: String) -> Bool { base.isAgent(address) }
        func language(ofTicket number: Int) -> String? { languages[number] }
    }

    func testAFollowUpReadsTheTicketsLanguageNotTheQueueDefault() {
        let german = Rule(name: "german", when: .test(.init(field: .language, op: .equals(TextFold.folded("de")), caseSensitive: false,
                                                             text: "language equals de")),
                          then: [.tags(["de"])], on: [.followUp])
        let followUp = input(subject: tags.subject("Printer", taggedWith: 9))
        let stored = LanguageView(base: view, languages: [9: "de"])
        let plan = pipeline([german], queues: [.init(name: "support", addresses: ["support@desk.example.com"], language: "en")])
            .plan(followUp, view: stored)
        XCTAssertEqual(plan.routing.hits.map(\.rule), ["german"], "a reply without Content-Language keeps the ticket's language")
        XCTAssertNil(plan.routing.language, "the stored language stays as it is")
        let unknown = pipeline([german]).plan(input(subject: tags.subject("Printer", taggedWith: 9),
                                                    headers: [HeaderField("Content-Language", "de-AT")]), view: view)
        XCTAssertEqual(unknown.routing.hits.map(\.rule), ["german"])
        XCTAssertEqual(unknown.routing.language, "de", "a ticket without a language takes the one the mail states")
    }

    func testAFollowUpAssignRuleAssignsAnUnassignedTicketAndSaysWhyItLeavesAnAssignedOne() {
        let escalate = always("escalate", [.assign(.group("support", strategy: .leastOpen, prefer: nil))], on: [.followUp])
        let followUp = input(subject: tags.subject("Printer", taggedWith: 9))
        let unassigned = pipeline([escalate]).plan(followUp, view: view)
        XCTAssertEqual(unassigned.state.assignee, agent)
        var assignedView = view
        assignedView.tickets[9]?.assignee = "bob@desk.example.com"
        let assigned = pipeline([escalate]).plan(followUp, view: assignedView)
        XCTAssertEqual(assigned.state.assignee, "bob@desk.example.com", "a rule never takes a ticket from its agent")
        XCTAssertEqual(assigned.routing.skipped.count, 1)
        XCTAssertTrue(assigned.routing.assignment?.contains("assigned to bob@desk.example.com") ?? false, assigned.routing.assignment ?? "")
    }
}
