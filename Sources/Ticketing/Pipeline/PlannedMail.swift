import Foundation

/// A mail a ticket change causes: which event it tells of, to whom, and what of the message it
/// carries. The daemon's Notifier renders the words from the template set in the ticket's
/// language and threads customer mails on what the customer has.
public struct PlannedMail: Sendable, Equatable {
    public var event: NotificationEvent
    public var to: [String]
    /// `{{message.text}}`: the customer's text for agents, the agent's reply for the customer.
    public var messageText: String?
    /// The agent named by `{{agent.name}}` (the assignee, else the agent who acted).
    public var agent: String?
    /// `{{sla.due}}`: the deadline an SLA warning or breach is about.
    public var slaDue: Date?
    /// `{{merged.tag}}`: the ticket merged away, for the `merged` mail.
    public var mergedFrom: Int?
    /// Agent notices thread on the message that caused them; customer mails (nil here) on
    /// what the customer has in her mailbox, which the Notifier reads from the store.
    public var inReplyTo: String?
    public var references: [String]
    /// Automatic mails are loop-guarded (rate-limited per address, `Auto-Submitted`).
    public var automatic: Bool
    /// Replies go to our support address (notices to agents).
    public var replyToSupport: Bool

    public init(event: NotificationEvent, to: [String], messageText: String? = nil, agent: String? = nil,
                slaDue: Date? = nil, inReplyTo: String? = nil, references: [String] = [], automatic: Bool? = nil,
                replyToSupport: Bool? = nil) {
        self.event = event
        self.to = to
        self.messageText = messageText
        self.agent = agent
        self.slaDue = slaDue
        self.inReplyTo = inReplyTo
        self.references = references
        self.automatic = automatic ?? event.isAutomatic
        self.replyToSupport = replyToSupport ?? !event.isForCustomer
    }

    /// The outbox row's kind: the event's name.
    public var kind: String { event.rawValue }
}
