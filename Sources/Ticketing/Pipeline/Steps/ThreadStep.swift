/// Step 1: which ticket the message belongs to (spoof-proof threading, see `ThreadResolver`),
/// or whether it is held or dropped. Sets the disposition, the explanation, the actor and,
/// for a join, the ticket as it was.
public struct ThreadStep: IntakeStep {
    public var resolver: ThreadResolver
    public var defaultQueue: String
    /// Our own addresses (support, queues): never participants.
    public var ownAddresses: Set<String>

    public init(resolver: ThreadResolver, defaultQueue: String, ownAddresses: Set<String>) {
        self.resolver = resolver
        self.defaultQueue = defaultQueue
        self.ownAddresses = ownAddresses
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        let decision = resolver.decide(input.facts, classification: input.classification, lookup: view, now: input.now)
        plan.decision = decision
        plan.actor = view.isAgent(input.sender) ? .agent : .customer
        plan.explanation = decision.explanation
        if input.messageClass != .human { plan.explanation += "; \(input.classification.explanation)" }
        let subject = resolver.subjectForNewTicket(input.facts.subject)
        let queue = input.mailboxQueue ?? defaultQueue
        switch decision {
        case .dropOwnMail(let reason):
            plan.disposition = .dropOwnMail(reason)
        case .hold(let reason, let mentions):
            guard input.releasedByOperator else {
                plan.disposition = .hold("hold: \(reason.explanation)")
                return
            }
            // An operator reviewed it (`quarantine retry --as-new`): a new ticket, linked as usual.
            plan.explanation = "new: \(reason.explanation), released by operator"
            plan.openTicket(input, view: view, subject: subject, queue: queue, ownAddresses: ownAddresses, mentions: mentions)
        case .join(let number, _):
            guard let ticket = view.ticket(number: number) else {
                plan.openTicket(input, view: view, subject: subject, queue: queue, ownAddresses: ownAddresses)
                return
            }
            plan.disposition = .join(ticket: number)
            plan.ticket = ticket
            plan.state = ticket.state
            plan.queue = ticket.queue
        case .newTicket(_, let mentions, let linkedFrom):
            plan.openTicket(input, view: view, subject: subject, queue: queue, ownAddresses: ownAddresses,
                            mentions: mentions, follows: linkedFrom)
        }
    }
}
