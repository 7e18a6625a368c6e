/// Step 1b, right after threading: a message from an agent's address counts as the agent's only
/// with proof (see `AgentProofVerifier`). Without it the message is a customer's from that address:
/// no commands, no relay, and it stays on the ticket only if the customer rules let it join; the
/// agent hears once (rate-limited) that the reply was not taken. The same trusted
/// `Authentication-Results` also unmasks a forged requester joining by rule (c).
public struct AgentProofStep: IntakeStep {
    public var verifier: AgentProofVerifier
    public var strangers: StrangerPolicy
    public var defaultQueue: String
    public var ownAddresses: Set<String>
    /// Agents' configured addresses by normalised address: where the "not taken" notice goes.
    public var agentAddresses: [String: String]
    public var newSubject: @Sendable (String) -> String

    public init(verifier: AgentProofVerifier, strangers: StrangerPolicy, defaultQueue: String, ownAddresses: Set<String>,
                agentAddresses: [String], newSubject: @escaping @Sendable (String) -> String) {
        self.verifier = verifier
        self.strangers = strangers
        self.defaultQueue = defaultQueue
        self.ownAddresses = ownAddresses
        self.agentAddresses = Dictionary(agentAddresses.map { (Address.normalised($0), $0) }, uniquingKeysWith: { a, _ in a })
        self.newSubject = newSubject
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard input.messageClass == .human else { return }
        if plan.actor == .agent {
            checkAgent(input, view: view, plan: &plan)
        } else if case let .join(number, rule)? = plan.decision, case let .tagParticipant(_, role) = rule.base, role != .agent,
                  plan.joinedTicket == number, let forgery = verifier.forgery(input.facts) {
            asStranger(input, view: view, plan: &plan, number: number, why: "forged requester: \(forgery)")
        }
    }

    // Not optimised: Swift 6.3.1's CopyPropagation pass crashes on this function in release
    // builds ("Found ownership error?!"); it runs once per agent mail, so speed does not matter.
    @_optimize(none)
    private func checkAgent(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        // A handle for a ticket merged into the joined one proves as well as one for the ticket itself.
        var proof = verifier.prove(input.facts, ticket: plan.joinedTicket, agent: input.sender)
        if case let .join(_, rule)? = plan.decision, !proof.isProven {
            for merged in rule.forwardedFrom {
                let viaMerged = verifier.prove(input.facts, ticket: merged, agent: input.sender)
                if viaMerged.isProven { proof = viaMerged; break }
            }
        }
        plan.agentProof = proof
        guard !proof.isProven else {
            plan.explanation += "; agent proof: \(proof.explanation)"
            return
        }
        plan.actor = .customer
        let ticketNumber = plan.joinedTicket
        if plan.isNewTicket, let i = plan.participants.firstIndex(where: { $0.address == plan.sender }) {
            plan.participants[i].role = .requester
        }
        // An agent joins any ticket by rule (c); a customer only one they take part in.
        if case let .join(number, rule)? = plan.decision, case .tagParticipant(_, .agent) = rule.base, plan.joinedTicket == number {
            asStranger(input, view: view, plan: &plan, number: number, why: proof.explanation)
        } else {
            plan.explanation += "; \(proof.explanation), taken as a customer's message"
        }
        if let to = agentAddresses[plan.sender] {
            let what = ticketNumber.map { "on ticket #\($0): " } ?? ""
            plan.mails.append(PlannedMail(event: .agentUnverified, to: [to], messageText: what + proof.explanation,
                                          agent: to, inReplyTo: input.facts.messageID, automatic: true))
        }
    }

    /// Handles the message as a stranger's naming ticket `number`: a new linked ticket, or held.
    private func asStranger(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan, number: Int, why: String) {
        let reason = NewTicketReason.strangerMentions(number)
        switch strangers {
        case .newTicket:
            let saved = plan.mails
            plan.openTicket(input, view: view, subject: newSubject(input.facts.subject), queue: input.mailboxQueue ?? defaultQueue,
                            ownAddresses: ownAddresses, mentions: number)
            plan.mails = saved
            if let i = plan.participants.firstIndex(where: { $0.address == plan.sender }) { plan.participants[i].role = .requester }
            plan.explanation = "new: \(reason.explanation) (\(why))"
        case .hold:
            plan.disposition = .hold("hold: \(reason.explanation) (\(why))")
            plan.explanation = "hold: \(reason.explanation) (\(why))"
        }
    }
}
