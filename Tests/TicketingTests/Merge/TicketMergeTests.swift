import XCTest
import TestSupport
@testable import Ticketing

/// Merging tickets, without a store: mail for a merged ticket follows the forward (also along
/// chains), the tag token rules still hold, and what may be merged is decided before anything moves.
final class TicketMergeTests: XCTestCase {
    let clock = FakeClock()
    let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5, plusAddressBases: ["support@desk.example.com"])
    let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.example.com")
    let own: Set<String> = ["support@desk.example.com"]
    let agent = "agent1@desk.example.com"
    var resolver: ThreadResolver { ThreadResolver(tags: tags, signer: signer) }

    /// 10 was merged into 20, 20 into 30 (chain); 40 into 41, which is closed; 50 ↔ 51 loop
    /// (cannot arise from a merge, must not hang); 60 points at a ticket that is gone.
    /// The store moves participants to the ticket merged into: 30 holds Jo (from 10) and Ann.
    var lookup: InMemoryThreadLookup {
        let stub = { (n: Int, into: Int) in TicketSnapshot(number: n, status: .closed, requester: "jo@customer.example", mergedInto: into) }
        return InMemoryThreadLookup(
            tickets: [
                10: stub(10, 20), 20: stub(20, 30),
                30: TicketSnapshot(number: 30, status: .open, participants: ["ann@customer.example": .requester, "jo@customer.example": .cc],
                                   subject: "Printer", queue: "support", requester: "ann@customer.example"),
                40: stub(40, 41), 41: TicketSnapshot(number: 41, status: .closed, participants: ["jo@customer.example": .requester]),
                50: stub(50, 51), 51: stub(51, 50), 60: stub(60, 99),
                70: TicketSnapshot(number: 70, status: .open, participants: ["zed@customer.example": .requester], requester: "zed@customer.example"),
            ],
            storedMessageIDs: ["<first@customer.example>": 30],
            agents: [agent])
    }

    func mail(from: String = "jo@customer.example", subject: String, inReplyTo: [String] = [], to: [String] = ["support@desk.example.com"]) -> InboundFacts {
        InboundFacts(from: from, to: to, subject: subject, messageID: "<new@x.example>", inReplyTo: inReplyTo, bodyText: "")
    }

    func decide(_ facts: InboundFacts) -> ThreadDecision {
        resolver.decide(facts, classification: Classification(.human, reasons: []), lookup: lookup, now: clock.now())
    }

    // MARK: - Threading follows the forward

    func testTheOldTagWithItsTokenLandsOnTheTicketItWasMergedIntoAlongTheChain() {
        let token = tags.token(for: 10)
        let decision = decide(mail(from: "colleague@customer.example", subject: "Re: [#10-\(token)] Printer"))
        XCTAssertEqual(decision, .join(ticket: 30, rule: .forwarded(.tagToken(.subject), chain: [10, 20, 30])))
        XCTAssertEqual(decision.explanation, "subject tag+token, #10 → #20 merged into #30")
        XCTAssertEqual(decide(mail(subject: "Re: [#20-\(tags.token(for: 20))] x")).joinedTicket, 30)
    }

    func testOurMessageIDsForTheOldTicketAndItsAgentsHandlesLandOnTheNewOne() {
        let ours = signer.messageID(ticket: 10, nonce: [9])
        XCTAssertEqual(decide(mail(from: "someone@else.example", subject: "Re: Printer", inReplyTo: [ours])),
                       .join(ticket: 30, rule: .forwarded(.inReplyTo(ours, signed: true), chain: [10, 20, 30])))
        let handle = signer.agentMessageID(ticket: 10, agent: agent)
        let decision = decide(mail(from: agent, subject: "Re: Printer", inReplyTo: [handle]))
        XCTAssertEqual(decision.joinedTicket, 30)
        guard case let .join(_, rule) = decision else { return XCTFail("not a join") }
        XCTAssertEqual(rule.forwardedFrom, [10, 20])
        XCTAssertEqual(rule.base, .inReplyTo(handle, signed: true))
        // The store moved the messages: a stored Message-ID names the new ticket directly.
        XCTAssertEqual(decide(mail(subject: "Re: Printer", inReplyTo: ["<first@customer.example>"])),
                       .join(ticket: 30, rule: .inReplyTo("<first@customer.example>", signed: false)))
    }

    func testTheTokenRulesStillHoldForTheOldNumber() {
        // Jo took part in 10 and is now a participant of 30: her tag without token follows.
        XCTAssertEqual(decide(mail(subject: "Re: [#10] Printer")),
                       .join(ticket: 30, rule: .forwarded(.tagParticipant(.subject, .cc), chain: [10, 20, 30])))
        // A stranger naming the old number gets a new ticket, linked to where it went.
        XCTAssertEqual(decide(mail(from: "mallory@evil.example", subject: "Re: [#10] Printer")),
                       .newTicket(.strangerMentions(10), mentions: 30, linkedFrom: nil))
        // The token of another ticket is no token for 10; 30's token is not 10's either.
        XCTAssertEqual(decide(mail(from: "mallory@evil.example", subject: "Re: [#10-\(tags.token(for: 30))] Printer")),
                       .newTicket(.badToken(10), mentions: 30, linkedFrom: nil))
        // Zed takes part in 70 only: the old tag is no way into 30 for him.
        XCTAssertEqual(decide(mail(from: "zed@customer.example", subject: "[#10] hello")),
                       .newTicket(.strangerMentions(10), mentions: 30, linkedFrom: nil))
    }

    func testAForwardToAClosedTicketLoopsOrBrokenChainsNeverLandSomewhereArbitrary() {
        XCTAssertEqual(decide(mail(subject: "Re: [#40-\(tags.token(for: 40))] x")), .newTicket(.closed(41), mentions: nil, linkedFrom: 41))
        let loop = MergeForward.follow(lookup.tickets[50]!, lookup: lookup)
        XCTAssertEqual(loop.chain, [50, 51], "stops before repeating")
        XCTAssertEqual(decide(mail(subject: "Re: [#50-\(tags.token(for: 50))] x")), .newTicket(.closed(51), mentions: nil, linkedFrom: 51))
        XCTAssertEqual(decide(mail(subject: "Re: [#60-\(tags.token(for: 60))] x")), .newTicket(.closed(60), mentions: nil, linkedFrom: 60))
        XCTAssertEqual(MergeForward.follow(lookup.tickets[70]!, lookup: lookup).chain, [70], "an unmerged ticket is its own end")
    }

    func testAReplyHandleForTheMergedTicketProvesTheAgentOnTheNewOne() {
        let verifier = AgentProofVerifier(policy: .reply, trustedAuthservIDs: [], signer: signer, plusAddressBases: ["support@desk.example.com"])
        let step = AgentProofStep(verifier: verifier, strangers: .newTicket, defaultQueue: "support", ownAddresses: own,
                                  agentAddresses: [agent], newSubject: { $0 })
        let pipeline = IntakePipeline(steps: [ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own), step])
        func plan(_ inReplyTo: String) -> TicketPlan {
            pipeline.plan(PipelineInput(facts: mail(from: agent, subject: "Re: Printer", inReplyTo: [inReplyTo]),
                                        classification: Classification(.human, reasons: []), text: "#resolve", replyText: "#resolve",
                                        mailbox: "support", mailboxQueue: nil, size: 10, now: clock.now()), view: lookup)
        }
        let proven = plan(signer.agentMessageID(ticket: 10, agent: agent))
        XCTAssertEqual(proven.joinedTicket, 30)
        XCTAssertEqual(proven.actor, .agent)
        XCTAssertTrue(proven.agentProof?.isProven ?? false)
        // Another agent's handle for the old ticket proves nothing.
        let other = plan(signer.agentMessageID(ticket: 10, agent: "agent2@desk.example.com"))
        XCTAssertEqual(other.actor, .customer)
    }

    // MARK: - What may be merged

    func testMergingIsRefusedIntoItselfIntoAMergedOrClosedTicketOrInACycle() {
        let view = lookup
        let open = view.tickets[70]!
        XCTAssertNil(TicketMerge.refusal(from: open, into: 30, lookup: view))
        XCTAssertEqual(TicketMerge.refusal(from: open, into: 70, lookup: view), .itself(70))
        XCTAssertEqual(TicketMerge.refusal(from: open, into: 999, lookup: view), .unknown(999))
        XCTAssertEqual(TicketMerge.refusal(from: open, into: 10, lookup: view), .targetMerged(10, final: 30))
        XCTAssertEqual(TicketMerge.refusal(from: open, into: 41, lookup: view), .closed(41))
        XCTAssertEqual(TicketMerge.refusal(from: view.tickets[20]!, into: 70, lookup: view), .alreadyMerged(20, into: 30))
        // 30 into 10 would close the loop 10 → 20 → 30 → 10.
        XCTAssertEqual(TicketMerge.refusal(from: view.tickets[30]!, into: 10, lookup: view), .cycle(30, 10))
        XCTAssertEqual(TicketMerge.Refusal.targetMerged(10, final: 30).description, "ticket #10 was merged into #30; use #30")
        XCTAssertNil(TicketMerge.linkRefusal(from: open, to: 30, lookup: view))
        XCTAssertEqual(TicketMerge.linkRefusal(from: open, to: 70, lookup: view), .itself(70))
        XCTAssertEqual(TicketMerge.linkRefusal(from: open, to: 20, lookup: view), .targetMerged(20, final: 30))
    }

    func testMergeAndLinkCommandsAreRead() {
        func parse(_ text: String) -> AgentCommand.Parsed { AgentCommand.parse(text, sender: agent) }
        XCTAssertEqual(parse("#merge 30 Same printer, see Ann's ticket\nThanks").commands, [.merge(30, reason: "Same printer, see Ann's ticket")])
        XCTAssertEqual(parse("#merge #30").commands, [.merge(30, reason: nil)])
        XCTAssertEqual(parse("#link #31").commands, [.link(31)])
        XCTAssertEqual(parse("#merge").errors, ["#merge needs a ticket number (#merge 1234)"])
        XCTAssertEqual(parse("#merge thirty").errors, ["#merge needs a ticket number (#merge 1234)"])
        XCTAssertEqual(parse("#merge -3").errors.count, 1)
        XCTAssertEqual(parse("#link 3 4").errors, ["#link needs one ticket number (#link 1234)"])
    }

    // MARK: - The plan of an agent's #merge

    var pipeline: IntakePipeline {
        IntakePipeline(steps: [
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, assignOnFirstReply: true, newSubject: { $0 }),
            NotificationStep(acknowledge: true, agents: [agent], ownAddresses: own),
        ])
    }

    func agentMail(on number: Int, _ text: String, confirmedDisclosure: String? = nil) -> TicketPlan {
        var view = lookup
        view.tickets[71] = TicketSnapshot(number: 71, status: .new, participants: ["bob@customer.example": .requester],
                                          subject: "Printer again", queue: "support", requester: "bob@customer.example")
        view.tickets[72] = TicketSnapshot(number: 72, status: .new, participants: ["ann@customer.example": .requester],
                                          subject: "Printer (2)", queue: "support", requester: "Ann@Customer.example")
        view.tickets[73] = TicketSnapshot(number: 73, status: .new, participants: ["ann@customer.example": .requester, "eve@other.example": .cc],
                                          subject: "Printer (3)", queue: "support", requester: "ann@customer.example")
        let facts = InboundFacts(from: agent, to: ["support@desk.example.com"], subject: "Re: " + tags.subject("x", taggedWith: number),
                                 messageID: "<a1@desk.example.com>", bodyText: text)
        var input = PipelineInput(facts: facts, classification: Classification(.human, reasons: []), text: text, replyText: text,
                                  mailbox: "support", mailboxQueue: nil, size: 10, now: clock.now())
        input.confirmedDisclosure = confirmedDisclosure
        return pipeline.plan(input, view: view)
    }

    func testABareMergeTellsTheRequesterOnceAndNothingElse() {
        let plan = agentMail(on: 72, "#merge 30 duplicate")
        XCTAssertEqual(plan.merge, TicketMerge(from: 72, into: 30, actor: agent, reason: "duplicate"))
        XCTAssertEqual(plan.mails.map(\.event), [.merged], "no status-open notice, no assignment: only the merged mail")
        XCTAssertEqual(plan.mails.first?.to, ["ann@customer.example"])
        XCTAssertEqual(plan.mails.first?.mergedFrom, 72)
        XCTAssertFalse(plan.events.contains { $0.kind == .assignee }, "a merge takes nobody's ticket")
        XCTAssertEqual(TicketMerge(from: 1, into: 2, actor: agent, reason: nil).reason, "agent command")
    }

    /// Bob's #71 into Ann's #30 (Jo Cc'd): Bob becomes a Cc of #30 and gets its replies. The merge goes
    /// ahead (a proven agent asked), and the agent is told what it discloses, to whom.
    func testMergingAnotherCustomersTicketWarnsTheAgentInTheResult() throws {
        let plan = agentMail(on: 71, "#merge 30 duplicate")
        let warning = "#71 and #30 have different customers: after the merge bob@customer.example gets #30's replies and sees "
            + "its subject, which discloses the conversation of ann@customer.example, jo@customer.example to bob@customer.example"
        XCTAssertEqual(plan.merge?.disclosure, warning)
        XCTAssertEqual(plan.mails.map(\.event), [.commandReport, .merged])
        let report = try XCTUnwrap(plan.mails.first)
        XCTAssertEqual(report.to, [agent])
        XCTAssertTrue(report.messageText?.contains("warning: " + warning) ?? false, report.messageText ?? "")
        XCTAssertFalse(report.messageText?.contains("Nothing was sent to the customer") ?? true, "the merged mail is sent")
        XCTAssertNil(TicketMerge.disclosure(from: 1, requester: "Ann@Customer.example", into: 2, intoRequester: "ann@customer.example"))
    }

    /// One customer on both tickets, but a stranger Cc'd on the duplicate: the merge copies the
    /// stranger onto the ticket that goes on, so the agent is warned all the same, naming who.
    func testACcOnTheDuplicateWhoIsNotOnTheTargetIsWarnedAbout() {
        XCTAssertEqual(TicketMerge.disclosure(from: 71, requester: "ann@customer.example", fromOthers: ["Eve@Other.example"],
                                              into: 30, intoRequester: "ann@customer.example"),
                       "#71 and #30 have different customers: after the merge eve@other.example gets #30's replies and sees its subject, "
                       + "which discloses the conversation of ann@customer.example to eve@other.example")
        XCTAssertEqual(TicketMerge.disclosure(from: 71, requester: "bob@customer.example", fromOthers: ["eve@other.example"],
                                              into: 30, intoRequester: "ann@customer.example", intoOthers: ["carl@customer.example"]),
                       "#71 and #30 have different customers: after the merge bob@customer.example, eve@other.example get #30's replies "
                       + "and see its subject, which discloses the conversation of ann@customer.example, carl@customer.example "
                       + "to bob@customer.example, eve@other.example")
        XCTAssertNil(TicketMerge.disclosure(from: 71, requester: "ann@customer.example", fromOthers: ["eve@other.example"],
                                            into: 30, intoRequester: "ann@customer.example", intoOthers: ["EVE@other.example"]),
                     "everyone on the duplicate already reads the target's replies")
    }

    func testAnAgentsMergeMailWarnsAboutACcOfTheDuplicate() {
        let plan = agentMail(on: 73, "#merge 30")
        XCTAssertEqual(plan.merge?.into, 30)
        XCTAssertEqual(plan.mails.map(\.event), [.commandReport, .merged], "the agent gets the warning in a command report")
        XCTAssertTrue(plan.merge?.disclosure?.contains("eve@other.example gets #30's replies") ?? false, plan.merge?.disclosure ?? "no warning")
    }

    /// `postdesk merge --yes`: the operator saw this very warning and confirmed it, so the agent
    /// is not mailed it again. Another warning than the one confirmed is still reported.
    func testAMergeWhoseWarningWasConfirmedMailsOnlyTheRequester() {
        let warning = agentMail(on: 73, "#merge 30").merge?.disclosure
        XCTAssertNotNil(warning)
        let plan = agentMail(on: 73, "#merge 30", confirmedDisclosure: warning)
        XCTAssertEqual(plan.merge?.disclosure, warning, "still the merge's warning")
        XCTAssertEqual(plan.mails.map(\.event), [.merged])
        XCTAssertEqual(agentMail(on: 73, "#merge 30", confirmedDisclosure: "#73 and #30 have different customers: …").mails.map(\.event),
                       [.commandReport, .merged], "not the warning confirmed")
        XCTAssertEqual(agentMail(on: 73, "#merge 30\n#link 999", confirmedDisclosure: warning).mails.first?.event, .commandReport,
                       "a refused command is reported all the same")
    }

    func testARefusedMergeIsReportedToTheAgentAndMergesNothing() {
        let plan = agentMail(on: 71, "#merge 10")
        XCTAssertNil(plan.merge)
        XCTAssertEqual(plan.refused, ["merge: ticket #10 was merged into #30; use #30"])
        XCTAssertTrue(plan.mails.contains { $0.event == .commandReport && $0.to == [agent] })
        XCTAssertFalse(plan.mails.contains { $0.event == .merged })
    }

    func testALinkIsPlannedOnceAndAnUnknownTicketRefused() {
        XCTAssertEqual(agentMail(on: 71, "#link 30\n#link 30").links, [TicketPlan.Link(30, .related)])
        XCTAssertEqual(agentMail(on: 71, "#link 999").refused, ["link: no ticket #999"])
    }
}
