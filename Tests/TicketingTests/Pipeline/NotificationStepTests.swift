import XCTest
import TestSupport
@testable import Ticketing

/// Which events a message causes, and who hears of each: one mail per message to the customer.
final class NotificationStepTests: XCTestCase {
    let clock = FakeClock()
    let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5, plusAddressBases: ["support@desk.example.com"])
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")
    let own: Set<String> = ["support@desk.example.com"]
    let alice = "alice@desk.example.com"
    let bob = "bob@desk.example.com"
    let carol = "carol@desk.example.com"

    func pipeline(_ policy: NotificationPolicy = .standard, acknowledge: Bool = true) -> IntakePipeline {
        let resolver = ThreadResolver(tags: tags, signer: signer, strangers: .hold, reopenWindow: 14 * 86_400)
        return IntakePipeline(steps: [
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, newSubject: { resolver.subjectForNewTicket($0) }),
            NotificationStep(acknowledge: acknowledge, agents: [alice, bob, carol], ownAddresses: own, policy: policy,
                             queueAgents: ["hardware": [alice, bob]]),
        ])
    }

    func view(status: TicketStatus = .open, assignee: String? = nil, resolvedAt: Date? = nil) -> InMemoryThreadLookup {
        InMemoryThreadLookup(
            tickets: [7: TicketSnapshot(number: 7, status: status, participants: ["jo@customer.example": .requester, "boss@customer.example": .cc],
                                        resolvedAt: resolvedAt, subject: "Printer", queue: "hardware", assignee: assignee,
                                        requester: "jo@customer.example")],
            agents: [alice, bob, carol])
    }

    func input(from: String = "jo@customer.example", ticket: Int? = 7, text: String = "It is broken.") -> PipelineInput {
        let subject = ticket.map { "Re: " + tags.subject("Printer", taggedWith: $0) } ?? "Printer"
        return PipelineInput(facts: InboundFacts(from: from, to: ["support@desk.example.com"], subject: subject,
                                                 messageID: "<m1@x.example>", references: ["<r0@x.example>"], bodyText: text),
                             classification: Classification(.human, reasons: []), text: text, replyText: text,
                             mailbox: "support", mailboxQueue: "hardware", size: 100, now: clock.now())
    }

    func mails(_ input: PipelineInput, _ view: InMemoryThreadLookup, policy: NotificationPolicy = .standard) -> [PlannedMail] {
        pipeline(policy).plan(input, view: view).mails
    }

    func testANewTicketIsAcknowledgedAndNoticedToTheQueuesAgents() {
        let m = mails(input(ticket: nil), view())
        XCTAssertEqual(m.map(\.event), [.acknowledgement, .newTicket])
        XCTAssertEqual(m[1].to, [alice, bob], "the queue's agents, not every agent")
        XCTAssertTrue(m[0].automatic)
        XCTAssertFalse(m[0].replyToSupport)
        XCTAssertTrue(m[1].replyToSupport)
    }

    func testAnAgentOpenedTicketOrARuleSayingNoIsNotAcknowledged() {
        XCTAssertEqual(mails(input(from: alice, ticket: nil), view()).map(\.event), [.newTicket])
        XCTAssertEqual(mails(input(from: alice, ticket: nil), view()).first?.to, [bob], "not to the agent who opened it")
        struct NoAck: IntakeStep {
            func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) { plan.acknowledge = false }
        }
        var p = pipeline()
        p.steps.insert(NoAck(), at: 2)
        XCTAssertEqual(p.plan(input(ticket: nil), view: view()).mails.map(\.event), [.newTicket])
    }

    func testAFollowUpGoesToTheAssigneeElseTheQueue() {
        XCTAssertEqual(mails(input(), view(assignee: carol)).map(\.to), [[carol]])
        XCTAssertEqual(mails(input(), view()).map(\.to), [[alice, bob]])
        XCTAssertEqual(mails(input(), view()).map(\.event), [.followUp])
    }

    func testACustomerReopeningAResolvedTicketTellsTheAssigneeItReopened() {
        let m = mails(input(), view(status: .resolved, assignee: carol, resolvedAt: clock.now().addingTimeInterval(-86_400)))
        XCTAssertEqual(m.map(\.event), [.reopened])
        XCTAssertEqual(m[0].to, [carol])
        XCTAssertEqual(m[0].messageText, "It is broken.")
    }

    func testTheFirstAgentReplyIsAcceptedIntoWorkWithTheReplyInOneMail() {
        let m = mails(input(from: alice, text: "Which model is it?"), view(status: .new))
        XCTAssertEqual(m.map(\.event), [.statusOpen])
        XCTAssertEqual(m[0].to, ["jo@customer.example", "boss@customer.example"])
        XCTAssertEqual(m[0].messageText, "Which model is it?")
        XCTAssertEqual(m[0].agent, alice)
        XCTAssertFalse(m[0].automatic)
    }

    func testPendingCarriesWhatTheAgentAsked() {
        let m = mails(input(from: alice, text: "#status pending\nCould you send the log?"), view())
        XCTAssertEqual(m.map(\.event), [.statusPending])
        XCTAssertEqual(m[0].messageText, "Could you send the log?")
    }

    func testAStatusCommandAloneIsANoticeToTheRequesterOnly() {
        let m = mails(input(from: alice, text: "#resolve"), view())
        XCTAssertEqual(m, [PlannedMail(event: .statusResolved, to: ["jo@customer.example"], agent: alice)])
        XCTAssertTrue(m[0].automatic)
    }

    func testAReplyWithoutAStatusChangeIsRelayedToRequesterAndCc() {
        let m = mails(input(from: alice, text: "Try turning it off and on."), view())
        XCTAssertEqual(m.map(\.event), [.reply])
        XCTAssertEqual(m[0].to, ["jo@customer.example", "boss@customer.example"])
        XCTAssertFalse(m[0].automatic)
    }

    func testAnAssignmentTellsTheNewAssigneeAndTheRequester() {
        let m = mails(input(from: alice, text: "#assign carol@desk.example.com"), view())
        XCTAssertEqual(m.map(\.event), [.assignedCustomer, .assigned])
        XCTAssertEqual(m[0].to, ["jo@customer.example"])
        XCTAssertEqual(m[0].agent, carol)
        XCTAssertEqual(m[1].to, [carol])
        XCTAssertEqual(m[1].inReplyTo, "<m1@x.example>")
        let mine = mails(input(from: alice, text: "#assign me"), view())
        XCTAssertEqual(mine.map(\.event), [.assignedCustomer], "no mail to tell alice what she just did")
    }

    /// What an assignment rule or the assigner does at creation (issue 13's AssignmentStep).
    struct AssignAtCreation: IntakeStep {
        var agent: String
        func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
            plan.state.assignee = agent
            plan.events.append(TicketEvent(kind: .assignee, old: nil, new: agent, actor: "system", reason: "rule", at: input.now))
        }
    }

    func created(assignedTo agent: String, policy: NotificationPolicy = .standard, acknowledge: Bool = true,
                 from: String = "jo@customer.example") -> [PlannedMail] {
        var p = pipeline(policy, acknowledge: acknowledge)
        p.steps.insert(AssignAtCreation(agent: agent), at: 2)
        return p.plan(input(from: from, ticket: nil), view: view()).mails
    }

    func testAnAssignmentAtCreationNamesTheSpecialistInTheAcknowledgementAndTellsTheAssigneeOnce() {
        let m = created(assignedTo: carol)
        XCTAssertEqual(m.map(\.event), [.acknowledgement, .newTicket], "one mail each: no separate assignment mails")
        XCTAssertEqual(m[0].to, ["jo@customer.example"])
        XCTAssertEqual(m[0].agent, carol, "the acknowledgement says who looks after it")
        XCTAssertEqual(m[1].to, [carol], "the new-ticket notice goes to the assignee and names her")
        XCTAssertEqual(m[1].agent, carol)
    }

    func testAnAssigneeTheNewTicketNoticeMissesGetsTheAssignmentNotice() {
        var policy = NotificationPolicy()
        policy.events[.newTicket] = .init(enabled: true, recipients: [.queue])  // hardware: alice and bob
        let m = created(assignedTo: carol, policy: policy)
        XCTAssertEqual(m.map(\.event), [.acknowledgement, .newTicket, .assigned])
        XCTAssertEqual(m[1].to, [alice, bob])
        XCTAssertEqual(m[2].to, [carol])
        XCTAssertEqual(m[2].messageText, "It is broken.", "with the customer's words, as the notice would have had")
        XCTAssertEqual(m[2].inReplyTo, "<m1@x.example>")
        policy.events[.newTicket] = .init(enabled: false, recipients: [])
        XCTAssertEqual(created(assignedTo: carol, policy: policy).map(\.event), [.acknowledgement, .assigned])
    }

    func testWithoutAnAcknowledgementTheAssignmentAtCreationIsItsOwnMail() {
        let m = created(assignedTo: carol, acknowledge: false)
        XCTAssertEqual(m.map(\.event), [.assignedCustomer, .newTicket])
        XCTAssertEqual(m[0].to, ["jo@customer.example"])
        XCTAssertEqual(m[0].agent, carol)
        XCTAssertTrue(m[0].automatic, "rate-limited like the acknowledgement it stands in for")
    }

    func testSwitchingTheCustomersAssignmentMailOffKeepsTheNameOutOfTheAcknowledgement() {
        var policy = NotificationPolicy()
        policy.events[.assignedCustomer] = .init(enabled: false, recipients: [.requester])
        let m = created(assignedTo: carol, policy: policy)
        XCTAssertEqual(m.map(\.event), [.acknowledgement, .newTicket])
        XCTAssertNil(m[0].agent)
        XCTAssertEqual(created(assignedTo: carol, policy: policy, acknowledge: false).map(\.event), [.newTicket])
    }

    func testARuleWithholdingTheAcknowledgementWithholdsTheAssignmentMailToo() {
        struct NoAck: IntakeStep {
            func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) { plan.acknowledge = false }
        }
        var p = pipeline()
        p.steps.insert(AssignAtCreation(agent: carol), at: 2)
        p.steps.insert(NoAck(), at: 2)
        XCTAssertEqual(p.plan(input(ticket: nil), view: view()).mails.map(\.event), [.newTicket])
    }

    func testTakingATicketTellsTheRequesterWhoHasIt() {
        for command in ["#take", "#assign me"] {
            let m = mails(input(from: bob, text: command), view(assignee: carol))
            XCTAssertEqual(m.map(\.event), [.assignedCustomer], command)
            XCTAssertEqual(m.first?.to, ["jo@customer.example"], command)
            XCTAssertEqual(m.first?.agent, bob, command)
        }
    }

    func testAnAssignmentWithAStatusChangeIsOneMailToTheCustomer() {
        let m = mails(input(from: alice, text: "#assign me"), view(status: .new))
        XCTAssertEqual(m.map(\.event), [.statusOpen], "accepted into work, by the assignee")
        XCTAssertEqual(m[0].agent, alice)
    }

    func testRaisingToUrgentTellsTheAssigneeAndTheQueue() {
        let m = mails(input(from: alice, text: "#priority urgent"), view(assignee: carol))
        XCTAssertEqual(m.map(\.event), [.urgent])
        XCTAssertEqual(m[0].to, [carol, bob], "assignee and queue, without the agent who raised it")
    }

    func testThePolicySwitchesEventsOffAndChangesRecipientsPerQueue() {
        var policy = NotificationPolicy()
        policy.events[.assignedCustomer] = .init(enabled: false, recipients: [.requester])
        policy.events[.followUp] = .init(enabled: true, recipients: [.queue])
        policy.queues["hardware"] = [.statusResolved: .init(enabled: false, recipients: [.requester])]
        XCTAssertEqual(mails(input(from: alice, text: "#assign carol@desk.example.com"), view(), policy: policy).map(\.event), [.assigned])
        XCTAssertEqual(mails(input(), view(assignee: carol), policy: policy).first?.to, [alice, bob])
        XCTAssertEqual(mails(input(from: alice, text: "#resolve"), view(), policy: policy), [], "off for this queue")
        XCTAssertEqual(mails(input(from: alice, text: "#resolve\nDone."), view(), policy: policy).map(\.event), [.reply],
                       "the reply still goes when its status notice is off")
    }
}
