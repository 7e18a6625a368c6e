/// A mail a ticket change causes: who gets it, what it says (as a value; the daemon renders the
/// words), and how it threads.
public struct PlannedMail: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// "Your request has been received" to the requester of a new ticket.
        case acknowledgement
        /// The customer's text to agents: a new ticket, or a follow-up.
        case agentNotice(from: String, text: String, isNew: Bool)
        /// An agent's reply relayed to the customer.
        case relay(body: String)
        /// A status change told to the customer.
        case statusNotice(TicketStatus)
        /// To an agent's configured address: a mail in their name was not taken, and why.
        case agentUnverified(ticket: Int?, reason: String)
    }

    /// `ack`, `agent-notice`, `reply`, `status`: stored on the outbox row.
    public var kind: String
    public var to: [String]
    public var content: Content
    public var inReplyTo: String?
    public var references: [String]
    /// Automatic mails are loop-guarded (rate-limited per address, `Auto-Submitted`).
    public var automatic: Bool
    /// Replies go to our support address (notices to agents).
    public var replyToSupport: Bool

    public init(kind: String, to: [String], content: Content, inReplyTo: String?, references: [String],
                automatic: Bool, replyToSupport: Bool = false) {
        self.kind = kind
        self.to = to
        self.content = content
        self.inReplyTo = inReplyTo
        self.references = references
        self.automatic = automatic
        self.replyToSupport = replyToSupport
    }
}
