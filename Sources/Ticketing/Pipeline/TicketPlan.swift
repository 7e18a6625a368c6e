import Foundation

/// What the pipeline decided for one message: where it goes, the ticket's state after it, the
/// events to record and the mails it causes. A value: the daemon applies it, a dry run prints it.
public struct TicketPlan: Sendable, Equatable {
    public enum Disposition: Sendable, Equatable {
        /// Not decided yet (before the thread step).
        case undecided
        /// Open a ticket with this subject.
        case newTicket(subject: String)
        case join(ticket: Int)
        /// Quarantine for review, with the reason shown there.
        case hold(String)
        /// Our own mail came back: keep a record, change nothing.
        case dropOwnMail(String)
    }

    public struct Participant: Sendable, Equatable {
        public var address: String
        public var role: ParticipantRole
        public init(_ address: String, _ role: ParticipantRole) {
            self.address = address
            self.role = role
        }
    }

    public struct Link: Sendable, Equatable {
        /// `related`: an agent's `#link` (recorded on both tickets).
        public enum Kind: String, Sendable { case mentions, follows, related }
        public var ticket: Int
        public var kind: Kind
        public init(_ ticket: Int, _ kind: Kind) {
            self.ticket = ticket
            self.kind = kind
        }
    }

    public var disposition: Disposition = .undecided
    /// The rule that decided, stored on the message (`postdesk explain`).
    public var explanation = ""
    /// The threading decision as made (nil before the thread step).
    public var decision: ThreadDecision?
    /// The joined ticket as it was before this message; nil for a new ticket.
    public var ticket: TicketSnapshot?
    /// The sender, normalised; whether it acts as an agent.
    public var sender: String
    public var actor: ActorKind = .customer
    /// The ticket's state after this message (a new ticket starts `new`, `normal`, unassigned).
    public var state = TicketState(status: .new)
    /// The queue the ticket is (or will be) in.
    public var queue = ""
    /// Changes to record as events, in order (status, priority, assignee).
    public var events: [TicketEvent] = []
    /// Commands that could not be applied, recorded as `command-refused` events.
    public var refused: [String] = []
    /// An agent's reply with its command lines removed: what the customer may see.
    public var agentBody: String?
    public var participants: [Participant] = []
    public var links: [Link] = []
    /// What a bounce says failed; recorded on the ticket, permanent failures mark addresses undeliverable.
    public var bounce: BounceReport?
    /// Whether a new ticket is acknowledged to its customer (a rule's `acknowledge: false` clears it).
    public var acknowledge = true
    /// Mails to queue, in order.
    public var mails: [PlannedMail] = []
    /// How a message from an agent's address proved (or failed to prove) it is the agent's.
    public var agentProof: AgentProof?
    /// An agent's `#note` (or mail to `support+N-note@`): for agents only, never the customer.
    public var internalNote = false
    /// Addresses an agent's `#cc` added as Cc participants.
    public var ccAdded: [String] = []
    /// Rules and assignment: tags, category, language, SLA policy, each rule's verdict.
    public var routing = RoutingPlan()
    /// The SLA policy a rule's `sla` action asks for (seam for the rules step; nil: the default
    /// by queue and priority applies).
    public var slaRequested: String?
    /// The SLA step's result: policy, new history facts, clocks.
    public var sla: SLAPlan?
    /// An agent's `#merge N`: after this message is stored, the ticket is merged into N.
    public var merge: TicketMerge?

    public init(sender: String) { self.sender = sender }

    /// Whether the message lands on a ticket (new or joined).
    public var changesTicket: Bool {
        switch disposition {
        case .hold, .dropOwnMail: return false
        case .undecided, .newTicket, .join: return true
        }
    }

    public var isNewTicket: Bool {
        if case .newTicket = disposition { return true }
        return false
    }

    /// The ticket number joined, if any.
    public var joinedTicket: Int? {
        if case let .join(number) = disposition { return number }
        return nil
    }
}
