import XCTest
import TestSupport
@testable import Ticketing

/// The intake pipeline, step by step, without a store: thread decision → lifecycle → bounce →
/// notifications, each a pure function from the facts to the plan.
final class IntakePipelineTests: XCTestCase {
    let clock = FakeClock()
    let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5, plusAddressBases: ["support@desk.example.com"])
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")
    let own: Set<String> = ["support@desk.example.com"]
    let agent = "agent1@desk.example.com"

    var pipeline: IntakePipeline {
        let resolver = ThreadResolver(tags: tags, signer: signer, strangers: .hold, reopenWindow: 14 * 86_400)
        return IntakePipeline(steps: [
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, newSubject: { resolver.subjectForNewTicket($0) }),
            BounceStep(ownAddresses: own),
            NotificationStep(acknowledge: true, agents: [agent, "agent2@desk.example.com"], ownAddresses: own),
        ])
    }

    var view: InMemoryThreadLookup {
        InMemoryThreadLookup(
            tickets: [
                7: TicketSnapshot(number: 7, status: .pending, participants: ["jo@customer.example": .requester, "boss@customer.example": .cc],
                                  subject: "Printer", priority: .high, queue: "hardware", assignee: agent, requester: "jo@customer.example"),
                8: TicketSnapshot(number: 8, status: .closed, participants: ["jo@customer.example": .requester],
                                  subject: "Old", queue: "billing", requester: "jo@customer.example"),
            ],
            agents: [agent, "agent2@desk.example.com"])
    }

    func input(from: String = "jo@customer.example", subject: String = "Printer", to: [String] = ["support@desk.example.com"],
               cc: [String] = [], text: String = "It is broken.", klass: MessageClass = .human, queue: String? = nil,
               released: Bool = false) -> PipelineInput {
        PipelineInput(facts: InboundFacts(from: from, to: to, cc: cc, subject: subject, messageID: "<m1@customer.example>",
                                          references: ["<r0@customer.example>"], bodyText: text),
                      classification: Classification(klass, reasons: []), text: text, replyText: text,
                      mailbox: "support", mailboxQueue: queue, size: 100, now: clock.now(), releasedByOperator: released)
    }

    func tagged(_ subject: String, _ number: Int) -> String { tags.subject(subject, taggedWith: number) }

    func testANewMessageOpensATicketInItsMailboxQueueAcknowledgedAndNoticedToAgents() {
        let plan = pipeline.plan(input(cc: ["Boss@Customer.example", "support@desk.example.com"], queue: "hardware"), view: view)
        XCTAssertEqual(plan.disposition, .newTicket(subject: "Printer"))
        XCTAssertEqual(plan.queue, "hardware")
        XCTAssertEqual(plan.state.status, .new)
        XCTAssertEqual(plan.explanation, "new: no ticket reference")
        XCTAssertEqual(plan.participants, [.init("jo@customer.example", .requester), .init("boss@customer.example", .cc)])
        XCTAssertEqual(plan.mails.map(\.event), [.acknowledgement, .newTicket])
        XCTAssertEqual(plan.mails[0].to, ["jo@customer.example"])
        XCTAssertNil(plan.mails[0].inReplyTo, "customer mails thread on what she has, read from the store by the Notifier")
        XCTAssertEqual(plan.mails[1].to, [agent, "agent2@desk.example.com"])
        XCTAssertEqual(plan.mails[1].messageText, "It is broken.")
        XCTAssertEqual(plan.mails[1].inReplyTo, "<m1@customer.example>")
        XCTAssertTrue(plan.mails[1].replyToSupport)
    }

    func testWithoutAMailboxQueueTheDefaultQueueIsUsed() {
        XCTAssertEqual(pipeline.plan(input(), view: view).queue, "support")
    }

    func testACustomerReplyToAPendingTicketReopensItAndTellsTheAssigneeOnly() {
        let plan = pipeline.plan(input(subject: "Re: " + tagged("Printer", 7), text: "Here is the log."), view: view)
        XCTAssertEqual(plan.disposition, .join(ticket: 7))
        XCTAssertEqual(plan.queue, "hardware")
        XCTAssertEqual(plan.state.status, .open)
        XCTAssertEqual(plan.events.map(\.new), ["open"])
        XCTAssertEqual(plan.participants, [.init("jo@customer.example", .cc)], "kept as requester by the store, which keeps first roles")
        XCTAssertEqual(plan.mails.map(\.kind), ["follow-up"])
        XCTAssertEqual(plan.mails[0].to, [agent])
        XCTAssertEqual(plan.mails[0].references, ["<r0@customer.example>", "<m1@customer.example>"])
    }

    func testAnAgentReplyWithCommandsChangesTheTicketAndSendsTheCustomersOneMailWithTheTextAndTheStatus() {
        let plan = pipeline.plan(input(from: agent, subject: "Re: " + tagged("Printer", 7),
                                       text: "#priority urgent\n#resolve\n\nFixed: replace the fuser."), view: view)
        XCTAssertEqual(plan.actor, .agent)
        XCTAssertEqual(plan.state.priority, .urgent)
        XCTAssertEqual(plan.state.status, .resolved)
        XCTAssertEqual(plan.mails.map(\.event), [.statusResolved, .urgent])
        XCTAssertEqual(plan.mails[0].to, ["jo@customer.example", "boss@customer.example"])
        XCTAssertEqual(plan.mails[0].messageText, "Fixed: replace the fuser.")
        XCTAssertFalse(plan.mails[0].automatic, "it carries a person's answer")
        XCTAssertEqual(plan.mails[1].to, ["agent2@desk.example.com"], "the agent who raised it knows")
    }

    func testAnAgentReplyOfCommandsOnlyTellsTheRequesterOfTheStatus() {
        let plan = pipeline.plan(input(from: agent, subject: "Re: " + tagged("Printer", 7), text: "#close"), view: view)
        XCTAssertEqual(plan.state.status, .closed)
        XCTAssertEqual(plan.mails, [PlannedMail(event: .statusClosed, to: ["jo@customer.example"], agent: agent)])
        XCTAssertTrue(plan.mails[0].automatic)
    }

    func testAReplyToAClosedTicketOpensANewLinkedOne() {
        let plan = pipeline.plan(input(subject: "Re: " + tagged("Old", 8)), view: view)
        XCTAssertEqual(plan.disposition, .newTicket(subject: "Old"))
        XCTAssertEqual(plan.queue, "support", "the mailbox's queue, as for any new ticket")
        XCTAssertEqual(plan.links, [.init(8, .follows)])
        XCTAssertEqual(plan.explanation, "new: ticket 8 closed")
        XCTAssertEqual(plan.mails.map(\.kind), ["ack", "new-ticket"])
    }

    func testAStrangerNamingSomeoneElsesTicketIsHeldAndTheRunStopsThere() {
        let plan = pipeline.plan(input(from: "mallory@evil.example", subject: "Re: [#7] Printer"), view: view)
        XCTAssertEqual(plan.disposition, .hold("hold: stranger mentions #7"))
        XCTAssertTrue(plan.mails.isEmpty)
        XCTAssertTrue(plan.events.isEmpty)
    }

    func testAHeldMessageReleasedByAnOperatorOpensATicketThatMentionsTheOther() {
        let plan = pipeline.plan(input(from: "mallory@evil.example", subject: "Re: [#7] Printer", released: true), view: view)
        XCTAssertEqual(plan.disposition, .newTicket(subject: "Printer"))
        XCTAssertEqual(plan.links, [.init(7, .mentions)])
        XCTAssertEqual(plan.explanation, "new: stranger mentions #7, released by operator")
    }

    func testAutomaticMailChangesNothingAndCausesNoMail() {
        let plan = pipeline.plan(input(subject: "Re: " + tagged("Printer", 7), klass: .autoReply), view: view)
        XCTAssertEqual(plan.disposition, .join(ticket: 7))
        XCTAssertEqual(plan.state.status, .pending)
        XCTAssertTrue(plan.mails.isEmpty)
        XCTAssertTrue(plan.participants.isEmpty)
    }

    func testABounceCarriesItsReportIntoThePlan() {
        var bounceInput = input(from: "mailer-daemon@mx.example", subject: "Undelivered", klass: .bounce)
        bounceInput.facts.bounce = BounceFacts(deliveryStatus: "Final-Recipient: rfc822; gone@customer.example\nAction: failed\nStatus: 5.1.1\n",
                                               returnedHeaders: nil, text: "", failedRecipients: [])
        let plan = pipeline.plan(bounceInput, view: view)
        XCTAssertEqual(plan.bounce?.recipients.map(\.address), ["gone@customer.example"])
        XCTAssertEqual(plan.bounce?.recipients.first?.permanent, true)
        XCTAssertTrue(plan.mails.isEmpty)
    }

    func testAStepIsAddedByInsertingItNotByChangingTheOthers() {
        struct Urgent: IntakeStep {
            func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
                if input.facts.subject.contains("URGENT") { plan.state.priority = .urgent }
            }
        }
        var custom = pipeline
        custom.steps.insert(Urgent(), at: custom.index(of: NotificationStep.self)!)
        XCTAssertEqual(custom.plan(input(subject: "URGENT printer"), view: view).state.priority, .urgent)
        XCTAssertEqual(pipeline.plan(input(subject: "URGENT printer"), view: view).state.priority, .normal)
    }
}
