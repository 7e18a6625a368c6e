import XCTest
import TestSupport
@testable import Ticketing

/// An agent opening a NEW ticket by mail has no notice to answer, so no reply handle can prove
/// her: only a trusted `Authentication-Results` does. Without it the mail is a customer's from
/// her address (README "Proof of identity"): a ticket with her as requester, acknowledged, and
/// she hears why it was not taken as hers.
final class AgentOpenedTicketTests: XCTestCase {
    let agent = "alice@desk.test"
    let other = "bob@desk.test"
    let own: Set<String> = ["support@desk.test"]
    let clock = FakeClock()

    func plan(headers: [HeaderField], inReplyTo: [String] = [], policy: AgentProofPolicy = .replyOrDKIM) -> TicketPlan {
        let tags = TicketTagFormat(key: TestKeys.key, tokenLength: 5)
        let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.test")
        let resolver = ThreadResolver(tags: tags, signer: signer)
        let verifier = AgentProofVerifier(policy: policy, trustedAuthservIDs: ["mx.desk.test"], signer: signer, plusAddressBases: ["support@desk.test"])
        let pipeline = IntakePipeline(steps: [
            ThreadStep(resolver: resolver, defaultQueue: "support", ownAddresses: own),
            AgentProofStep(verifier: verifier, strangers: .newTicket, defaultQueue: "support", ownAddresses: own,
                           agentAddresses: [agent, other], newSubject: { $0 }),
            LifecycleStep(reopenWindowDays: 14, ownAddresses: own, agents: AgentDirectory([(agent, "Alice"), (other, "Bob")]),
                          assignOnFirstReply: true, newSubject: { $0 }),
            NotificationStep(acknowledge: true, agents: [agent, other], ownAddresses: own),
        ])
        let facts = InboundFacts(from: agent, to: ["support@desk.test"], cc: ["jo@customer.test"], subject: "Printer on floor 3 (phoned in)",
                                 messageID: "<new-1@desk.test>", inReplyTo: inReplyTo,
                                 headers: headers + [HeaderField("Subject", "Printer on floor 3 (phoned in)")],
                                 bodyText: "Jo called: the printer jams.")
        let input = PipelineInput(facts: facts, classification: Classification(.human, reasons: []), text: "Jo called: the printer jams.",
                                  replyText: "Jo called: the printer jams.", now: clock.now())
        return pipeline.plan(input, view: InMemoryThreadLookup(agents: [agent, other]))
    }

    func testATrustedDMARCPassOpensTheTicketAsTheAgents() {
        let p = plan(headers: [HeaderField("Authentication-Results", "mx.desk.test; dkim=pass header.d=desk.test; dmarc=pass header.from=desk.test")])
        guard case .newTicket = p.disposition else { return XCTFail("\(p.disposition)") }
        XCTAssertEqual(p.actor, .agent)
        XCTAssertTrue(p.agentProof?.isProven == true, "\(String(describing: p.agentProof))")
        XCTAssertTrue(p.explanation.contains("agent proof: authenticated by mx.desk.test"), p.explanation)
        XCTAssertEqual(p.participants.first, .init(agent, .agent), "she is the ticket's agent, not its requester")
        XCTAssertTrue(p.participants.contains(.init("jo@customer.test", .cc)), "the customer she copied gets the replies")
        XCTAssertFalse(p.mails.contains { $0.event == .acknowledgement }, "no acknowledgement for a ticket an agent opened")
        XCTAssertFalse(p.mails.contains { $0.event == .agentUnverified })
        XCTAssertEqual(p.mails.filter { $0.event == .newTicket }.flatMap(\.to), [other], "the other agents hear of it, she does not")
    }

    func testWithoutProofItIsACustomersTicketFromHerAddressAndSheIsTold() {
        for headers in [[], [HeaderField("Authentication-Results", "mx.evil.test; dmarc=pass header.from=desk.test")],
                        [HeaderField("Authentication-Results", "mx.desk.test; dkim=pass header.d=other.test")]] {
            let p = plan(headers: headers)
            guard case .newTicket = p.disposition else { return XCTFail("\(p.disposition)") }
            XCTAssertEqual(p.actor, .customer, "\(headers)")
            XCTAssertEqual(p.participants.first, .init(agent, .requester))
            XCTAssertTrue(p.explanation.contains("taken as a customer's message"), p.explanation)
            XCTAssertEqual(p.mails.filter { $0.event == .agentUnverified }.map(\.to), [[agent]], "she is told why")
            XCTAssertTrue(p.mails.first { $0.event == .agentUnverified }?.messageText?.contains("no ticket to hold a reply handle for") == true)
        }
    }

    func testAHandleOfAnotherTicketDoesNotProveANewOne() {
        let signer = MessageIDSigner(key: TestKeys.key, domain: "desk.test")
        // The handle threads the mail to ticket 7, which this view does not have: a new ticket, unproven.
        let p = plan(headers: [], inReplyTo: [signer.agentMessageID(ticket: 7, agent: agent, nonce: [1, 2, 3])])
        XCTAssertEqual(p.actor, .customer)
        XCTAssertFalse(p.agentProof?.isProven ?? true)
    }

    func testPolicyReplyNeverAcceptsAnAgentOpenedTicket() {
        let p = plan(headers: [HeaderField("Authentication-Results", "mx.desk.test; dmarc=pass header.from=desk.test")], policy: .reply)
        XCTAssertEqual(p.actor, .customer, "agent_proof reply: no handle is possible on a new ticket")
    }
}
