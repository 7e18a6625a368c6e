/// Everything postdesk tells someone about, one template per event and language. The raw value
/// is the template file's name (`status-resolved.ru.txt`) and the config key.
public enum NotificationEvent: String, CaseIterable, Sendable, Hashable, Codable {
    /// A new ticket, to the customer who opened it.
    case acknowledgement = "ack"
    /// A new ticket, to its assignee (else the queue's agents), with the customer's text.
    case newTicket = "new-ticket"
    /// A customer wrote again, to the assignee (else the queue's agents).
    case followUp = "follow-up"
    /// An agent's answer relayed to the customer (with a status line when it also changed the status).
    case reply = "reply"
    /// new → open: "accepted into work".
    case statusOpen = "status-open"
    /// Waiting for the customer, with what the agent asked.
    case statusPending = "status-pending"
    /// Solved, with how to reopen and for how long.
    case statusResolved = "status-resolved"
    case statusClosed = "status-closed"
    /// The customer reopened the ticket, to its assignee.
    case reopened = "reopened"
    /// To the new assignee.
    case assigned = "assigned"
    /// To the customer: "a specialist has been assigned".
    case assignedCustomer = "assigned-customer"
    /// Priority raised to urgent.
    case urgent = "urgent"
    /// The SLA deadline is near (fired by the SLA step).
    case slaWarning = "sla-warning"
    /// The SLA deadline has passed.
    case slaBreach = "sla-breach"
    /// To an agent's configured address: a mail in their name was not taken (no proof), and why
    /// (`{{message.text}}`). Its recipient is set by the agent-proof step, not by a role.
    case agentUnverified = "agent-unverified"
    /// To the agent whose reply had a command that failed: what applied, what failed, and that
    /// the reply was not sent (`{{message.text}}`).
    case commandReport = "command-report"
    /// An agent's internal note, to the assignee and the queue's agents (never the customer).
    case note = "note"
    /// To the requester of a ticket merged into another: her request continues under the other
    /// number (`{{merged.tag}}` is her old tag; the mail is about the ticket it continues as).
    case merged = "merged"

    /// Who it is for by default; the config's `notifications` table may change it.
    public var defaultRecipients: [NotificationRecipient] {
        switch self {
        case .acknowledgement, .statusOpen, .statusPending, .statusResolved, .statusClosed, .assignedCustomer, .merged: [.requester]
        case .reply: [.requester, .cc]
        case .newTicket, .followUp, .reopened, .slaWarning: [.assigneeOrQueue]
        case .assigned: [.assignee]
        case .urgent, .slaBreach, .note: [.assignee, .queue]
        case .agentUnverified, .commandReport: []
        }
    }

    /// Mails to customers are rate-limited by the loop defence; the relayed reply is a person's
    /// answer and is not.
    public var isAutomatic: Bool { self != .reply }

    /// Agents' notices carrying someone else's words (the customer's mail, a colleague's note)
    /// show `{{message.text}}` as a `> ` quotation, so it never reads as postdesk's own text and
    /// an agent's inline reply stands apart from it. Customer mails carry the agent's answer as
    /// the mail itself; command reports, proof and SLA notices carry our own words.
    public var quotesMessageText: Bool { [.newTicket, .followUp, .reopened, .assigned, .note].contains(self) }

    /// For the customer (versus agents): decides rate limiting and the HTML alternative.
    public var isForCustomer: Bool { defaultRecipients.contains(.requester) }

    /// The status notice for a change to `status`, if one exists.
    public static func status(_ status: TicketStatus) -> NotificationEvent? {
        switch status {
        case .open: .statusOpen
        case .pending: .statusPending
        case .resolved: .statusResolved
        case .closed: .statusClosed
        case .new: nil
        }
    }
}

/// A role that resolves to addresses for one ticket.
public enum NotificationRecipient: String, CaseIterable, Sendable, Hashable, Codable {
    /// The customer who opened the ticket.
    case requester
    /// Customers on Cc of the ticket (participants who are not agents).
    case cc
    case assignee
    /// Every agent of the ticket's queue.
    case queue
    /// The assignee when there is one, else the queue's agents.
    case assigneeOrQueue = "assignee_or_queue"
}
