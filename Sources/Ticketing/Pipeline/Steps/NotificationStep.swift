/// The last step: the mails the change causes. Only human mail triggers mail (loop defence);
/// the words are rendered by the daemon from each `PlannedMail.Content`.
public struct NotificationStep: IntakeStep {
    /// Acknowledge new tickets to the customer (`acknowledge` in config).
    public var acknowledge: Bool
    /// Every agent's address, normalised, sorted: who hears of tickets nobody is assigned to.
    public var agents: [String]
    public var ownAddresses: Set<String>

    public init(acknowledge: Bool, agents: [String], ownAddresses: Set<String>) {
        self.acknowledge = acknowledge
        self.agents = agents.map(Address.normalised).sorted()
        self.ownAddresses = ownAddresses
    }

    public func apply(_ input: PipelineInput, view: any PipelineView, plan: inout TicketPlan) {
        guard input.messageClass.mayTriggerMail else { return }
        let messageID = input.facts.messageID
        let sender = input.sender
        switch plan.disposition {
        case .newTicket:
            let refs = [messageID].compactMap { $0 }
            if acknowledge && plan.actor != .agent {
                plan.mails.append(PlannedMail(kind: "ack", to: [sender], content: .acknowledgement,
                                              inReplyTo: messageID, references: refs, automatic: true))
            }
            plan.mails.append(PlannedMail(kind: "agent-notice", to: agents.filter { $0 != sender },
                                          content: .agentNotice(from: sender, text: input.text, isNew: true),
                                          inReplyTo: messageID, references: refs, automatic: true, replyToSupport: true))
        case .join:
            let refs = input.facts.references + [messageID].compactMap { $0 }
            if plan.actor == .agent {
                relay(input, plan: &plan, references: refs)
            } else {
                let to = plan.state.assignee.map { [$0] } ?? agents
                plan.mails.append(PlannedMail(kind: "agent-notice", to: to.filter { $0 != sender },
                                              content: .agentNotice(from: sender, text: input.replyText ?? input.text, isNew: false),
                                              inReplyTo: messageID, references: refs, automatic: true, replyToSupport: true))
            }
        case .undecided, .hold, .dropOwnMail:
            return
        }
    }

    /// An agent's reply goes to the requester and the customers on Cc; a reply of commands only
    /// tells the requester of a status change that concerns them.
    private func relay(_ input: PipelineInput, plan: inout TicketPlan, references: [String]) {
        guard let ticket = plan.ticket else { return }
        let body = (plan.agentBody ?? "").trimmingWhitespace()
        if !body.isEmpty {
            let customers = ticket.participants.filter { $0.value != .agent }.map(\.key) + [ticket.requester]
            let to = Set(customers.map { $0.lowercased() }).sorted()
                .filter { !$0.isEmpty && !agents.contains($0) && !ownAddresses.contains($0) }
            plan.mails.append(PlannedMail(kind: "reply", to: to, content: .relay(body: body + "\n"),
                                          inReplyTo: input.facts.messageID, references: references, automatic: false))
        } else if let change = plan.events.last(where: { $0.kind == .status }),
                  let status = TicketStatus(rawValue: change.new ?? ""), [.resolved, .closed, .pending].contains(status) {
            plan.mails.append(PlannedMail(kind: "status", to: [ticket.requester], content: .statusNotice(status),
                                          inReplyTo: nil, references: [], automatic: true))
        }
    }
}
