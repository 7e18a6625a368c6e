import Foundation

/// After the ticket's state and mails are decided: which SLA policy applies and where its clocks
/// stand, recomputed from the whole history plus this message. A customer's own message starts a
/// next-response wait; an agent reply relayed to the customer answers it (a note or an
/// acknowledgement does not); status changes pause and resume. Runs last, since whether a reply
/// was relayed is the notification step's decision.
public struct SLAStep: IntakeStep {
    public var settings: SLASettings

    public init(settings: SLASettings) { self.settings = settings }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        let now = input.now
        var facts: [SLAFact] = []
        var newFacts: [SLAFact] = []
        var requested = plan.slaRequested
        switch plan.disposition {
        case .newTicket:
            // As the store records it: the create event carries the status the ticket opens in.
            facts = [SLAFact(.created(plan.state.status), at: now)]
        case .join(let number):
            let stored = view.slaHistory(ticket: number)
            facts = stored?.facts ?? []
            requested = requested ?? stored?.requested
            if plan.actor == .customer && input.messageClass == .human {
                newFacts.append(SLAFact(.customerWrote, at: now))
            }
        case .undecided, .hold, .dropOwnMail:
            return
        }
        // In the order they happen: the customer's message, the status it causes, the reply.
        facts += newFacts
        for event in plan.events where event.kind == .status {
            if let status = event.new.flatMap(TicketStatus.init(rawValue:)) { facts.append(SLAFact(.status(status), at: event.at)) }
        }
        // An agent's text relayed to the customer: the reply, or a status notice carrying it.
        if plan.actor == .agent && plan.mails.contains(where: { $0.event.isForCustomer && $0.messageText != nil }) {
            newFacts.append(SLAFact(.agentReplied, at: now))
            facts.append(SLAFact(.agentReplied, at: now))
        }
        let policy = settings.policy(requested: requested, queue: plan.queue, priority: plan.state.priority)
        let states = policy.map { settings.clock($0).evaluate(facts, now: now) } ?? []
        plan.sla = SLAPlan(requested: requested, policy: policy?.name, newFacts: newFacts, states: states,
                           silence: SilenceDeadline.of(facts, status: plan.state.status, queue: plan.queue, settings: settings))
    }
}
