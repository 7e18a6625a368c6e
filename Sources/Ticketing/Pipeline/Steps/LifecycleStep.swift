import Foundation

/// Step 2: how a joined ticket reacts (see `Lifecycle.react`): a customer reply reopens, an
/// agent's reply and commands move it; a reply to a closed or long-resolved ticket opens a new,
/// linked one instead.
public struct LifecycleStep: IntakeStep {
    public var lifecycle: Lifecycle
    public var reopenWindowDays: Int
    /// The subject a new ticket takes (old tags stripped), from the thread resolver.
    public var newSubject: @Sendable (String) -> String
    public var ownAddresses: Set<String>

    public init(lifecycle: Lifecycle = .standard, reopenWindowDays: Int, ownAddresses: Set<String>,
                newSubject: @escaping @Sendable (String) -> String) {
        self.lifecycle = lifecycle
        self.reopenWindowDays = reopenWindowDays
        self.ownAddresses = ownAddresses
        self.newSubject = newSubject
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard case let .join(number) = plan.disposition, let ticket = plan.ticket else { return }
        let isAgent = plan.actor == .agent
        let parsed = isAgent && input.messageClass == .human
            ? AgentCommand.parse(input.replyText ?? input.text, sender: input.sender) : nil
        let reaction = lifecycle.react(ticket.state, messageClass: input.messageClass, actor: plan.actor,
                                       actorAddress: input.sender, commands: parsed?.commands ?? [],
                                       reopenWindow: TimeInterval(reopenWindowDays) * 86_400, at: input.now)
        if reaction.startsNewTicket {
            plan.explanation = ticket.status == .closed
                ? "new: ticket \(number) closed"
                : "new: ticket \(number) resolved more than \(reopenWindowDays) days ago"
            plan.openTicket(input, view: view, subject: newSubject(input.facts.subject), queue: ticket.queue,
                            ownAddresses: ownAddresses, follows: number)
            return
        }
        plan.state = reaction.state
        plan.events += reaction.events
        // Commands that could not be read (unknown verb, bad value) fail like refused ones.
        plan.refused += (parsed?.errors ?? []) + reaction.refused
        plan.agentBody = parsed?.body
        if input.messageClass == .human {
            plan.participants.append(TicketPlan.Participant(input.sender, isAgent ? .agent : .cc))
        }
    }
}
