/// The last step: which events the change causes and who hears of each (`NotificationPolicy`).
/// Only human mail triggers mail (loop defence). A customer gets at most one mail per message:
/// an agent's reply that also changes the status is the status notice carrying the reply.
/// The words are rendered by the daemon's Notifier from the template set.
public struct NotificationStep: IntakeStep {
    /// Acknowledge new tickets to the customer (`acknowledge` in config).
    public var acknowledge: Bool
    /// Every agent's address, normalised, sorted: who hears of tickets when a queue names none.
    public var agents: [String]
    /// The agents of each queue; a queue not listed has every agent.
    public var queueAgents: [String: [String]]
    public var ownAddresses: Set<String>
    public var policy: NotificationPolicy

    public init(acknowledge: Bool, agents: [String], ownAddresses: Set<String>, policy: NotificationPolicy = .standard,
                queueAgents: [String: [String]] = [:]) {
        self.acknowledge = acknowledge
        self.agents = agents.map(Address.normalised).sorted()
        self.ownAddresses = ownAddresses
        self.policy = policy
        self.queueAgents = queueAgents.mapValues { $0.map(Address.normalised).sorted() }
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        // Spam (a rule said so) causes no mail at all.
        guard input.messageClass.mayTriggerMail, !plan.routing.spam else { return }
        let messageID = input.facts.messageID
        switch plan.disposition {
        case .newTicket:
            let assignee = plan.state.assignee
            // An assignment made at creation reaches the customer in her acknowledgement (one
            // mail, not two); without an acknowledgement (`acknowledge: false`) it goes alone. A
            // rule that withholds the acknowledgement withholds it too: no automatic mail at all.
            let tellAssignment = assignee != nil && policy.rule(.assignedCustomer, queue: plan.queue).enabled
            if plan.acknowledge && plan.actor != .agent {
                if acknowledge {
                    add(.acknowledgement, plan: &plan, agent: tellAssignment ? assignee : nil)
                } else if tellAssignment {
                    add(.assignedCustomer, plan: &plan, agent: assignee)
                }
            }
            add(.newTicket, plan: &plan, text: input.text, agent: assignee,
                inReplyTo: messageID, references: [messageID].compactMap { $0 })
            // The assignee hears once: the new-ticket notice when it reached them (it names them),
            // else the assignment notice.
            if let assignee, !plan.mails.contains(where: { $0.event == .newTicket && $0.to.contains(Address.normalised(assignee)) }) {
                add(.assigned, plan: &plan, text: input.text, agent: assignee,
                    inReplyTo: messageID, references: [messageID].compactMap { $0 })
            }
        case .join:
            let refs = input.facts.references + [messageID].compactMap { $0 }
            if plan.actor == .agent {
                agentChanges(input, plan: &plan)
            } else {
                let reopened = plan.events.contains { $0.kind == .status && $0.old == TicketStatus.resolved.rawValue && $0.new == TicketStatus.open.rawValue }
                add(reopened ? .reopened : .followUp, plan: &plan, text: input.replyText ?? input.text, agent: plan.state.assignee,
                    inReplyTo: messageID, references: refs)
            }
        case .undecided, .hold, .dropOwnMail:
            return
        }
    }

    /// An agent's reply and commands: one mail to the customer (status notice with the reply,
    /// else the reply, else the assignment), then the agents' notices.
    private func agentChanges(_ input: PipelineInput, plan: inout TicketPlan) {
        let body = (plan.agentBody ?? "").trimmingWhitespace()
        let sender = input.sender
        let statusEvent = plan.events.last { $0.kind == .status }
            .flatMap { TicketStatus(rawValue: $0.new ?? "") }.flatMap(NotificationEvent.status)
        let assigned = plan.events.last { $0.kind == .assignee }?.new
        let named = plan.state.assignee ?? sender
        let disclosure = plan.merge?.disclosure.flatMap { $0 == input.confirmedDisclosure ? nil : $0 }
        if !plan.refused.isEmpty || disclosure != nil {
            // A half-understood reply never goes out: the agent hears what applied and what failed
            // (and when a merge shows one customer another's conversation).
            plan.mails.append(PlannedMail(event: .commandReport, to: [sender], messageText: Self.report(plan, withheld: !body.isEmpty),
                                          agent: sender, inReplyTo: input.facts.messageID, references: [input.facts.messageID].compactMap { $0 }))
        }
        if plan.internalNote {
            // Agents only: the note goes to the assignee and the queue, never to the customer.
            if !body.isEmpty {
                add(.note, plan: &plan, text: body, agent: sender, inReplyTo: input.facts.messageID,
                    references: input.facts.references + [input.facts.messageID].compactMap { $0 })
            }
        } else if !plan.refused.isEmpty && !body.isEmpty {
            // Nothing to the customer; the agents' notices below still go.
        } else if plan.merge != nil && body.isEmpty {
            // A bare `#merge`: the customer hears of it once, by the `merged` mail below.
        } else if let statusEvent, policy.rule(statusEvent, queue: plan.queue).enabled {
            // With the reply in it, it also goes where the reply would (Cc'd customers), and is a
            // person's answer: not rate-limited.
            let extra = body.isEmpty ? [] : recipients(.reply, plan: plan)
            add(statusEvent, plan: &plan, text: body.isEmpty ? nil : body, agent: named, extra: extra, automatic: body.isEmpty)
        } else if !body.isEmpty {
            add(.reply, plan: &plan, text: body, agent: named)
        } else if let assigned {
            add(.assignedCustomer, plan: &plan, agent: assigned)
        }
        if let assigned, assigned != sender {
            add(.assigned, plan: &plan, text: input.replyText ?? input.text, agent: assigned,
                inReplyTo: input.facts.messageID, references: input.facts.references + [input.facts.messageID].compactMap { $0 })
        }
        let raisedToUrgent = plan.events.contains { $0.kind == .priority && $0.new == TicketPriority.urgent.rawValue && $0.old != $0.new }
        if raisedToUrgent {
            add(.urgent, plan: &plan, text: nil, agent: plan.state.assignee)
        }
        if let merge = plan.merge {
            // Once, when the merge happens: later mail to the old number simply lands on the new one.
            add(.merged, plan: &plan, agent: sender, mergedFrom: merge.from)
        }
    }

    /// The lines of a command report: what applied, what failed, whether the reply was withheld.
    static func report(_ plan: TicketPlan, withheld: Bool) -> String {
        var lines = plan.events.map { "applied: \($0.kind.rawValue) \($0.old ?? "-") → \($0.new ?? "-")" }
        lines += plan.refused.map { "failed:  \($0)" }
        if let disclosure = plan.merge?.disclosure { lines.append("warning: \(disclosure)") }
        if !plan.refused.isEmpty {
            lines.append("")
            lines.append(withheld ? "Your reply was NOT sent to the customer. Fix the commands and send it again."
                                  : "Nothing was sent to the customer.")
        }
        return lines.joined(separator: "\n")
    }

    private func add(_ event: NotificationEvent, plan: inout TicketPlan, text: String? = nil, agent: String? = nil,
                     extra: [String] = [], automatic: Bool? = nil, inReplyTo: String? = nil, references: [String] = [],
                     mergedFrom: Int? = nil) {
        let rule = policy.rule(event, queue: plan.queue)
        guard rule.enabled else { return }
        var seen: Set<String> = []
        let to = (recipients(event, plan: plan) + extra).filter { seen.insert($0).inserted }
        guard !to.isEmpty else { return }
        var mail = PlannedMail(event: event, to: to, messageText: text, agent: agent,
                               inReplyTo: event.isForCustomer ? nil : inReplyTo,
                               references: event.isForCustomer ? [] : references, automatic: automatic)
        mail.mergedFrom = mergedFrom
        plan.mails.append(mail)
    }

    /// The addresses `event`'s rule names for this ticket: never ours, never the agent who acted,
    /// and customers' mails never to agents.
    func recipients(_ event: NotificationEvent, plan: TicketPlan) -> [String] {
        let queue = queueAgents[plan.queue] ?? agents
        let requester = plan.ticket?.requester ?? (plan.actor == .agent ? "" : plan.sender)
        var cc = plan.ticket.map { $0.participants.filter { $0.value == .cc }.map(\.key).sorted() } ?? []
        cc += plan.participants.filter { $0.role == .cc }.map(\.address)
        var out: [String] = []
        for role in policy.rule(event, queue: plan.queue).recipients {
            switch role {
            case .requester: out.append(requester)
            case .cc: out += cc
            case .assignee: out += [plan.state.assignee].compactMap { $0 }
            case .queue: out += queue
            case .assigneeOrQueue: out += plan.state.assignee.map { [$0] } ?? queue
            }
        }
        let agentSet = Set(agents)
        return out.map(Address.normalised).filter { a in
            !a.isEmpty && !ownAddresses.contains(a) && !(plan.actor == .agent && a == plan.sender)
                && !(event.isForCustomer && agentSet.contains(a))
        }
    }
}
