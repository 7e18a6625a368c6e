/// Which rule let a message join a ticket.
public enum JoinRule: Sendable, Equatable {
    /// (a) In-Reply-To names our signed Message-ID for the ticket, or a Message-ID stored on it.
    case inReplyTo(String, signed: Bool)
    /// (a) A References entry does.
    case references(String, signed: Bool)
    /// A bounce whose returned headers name a message of the ticket.
    case bounceOf(String)
    /// (b) The tag carries a valid token.
    case tagToken(TicketTag.Source)
    /// (c) The tag has no (valid) token but the sender takes part in the ticket.
    case tagParticipant(TicketTag.Source, ParticipantRole)
    /// One of the rules above named a ticket merged away; the message follows the forward.
    /// `chain`: the ticket named first, then each it was merged into, the joined one last.
    indirect case forwarded(JoinRule, chain: [Int])

    /// The rule that named the ticket, forward or not.
    public var base: JoinRule {
        if case let .forwarded(rule, _) = self { return rule.base }
        return self
    }

    /// The tickets merged away that the message named or passed on its way (empty: none).
    public var forwardedFrom: [Int] {
        if case let .forwarded(_, chain) = self { return Array(chain.dropLast()) }
        return []
    }

    public var explanation: String {
        switch self {
        case let .forwarded(rule, chain):
            return rule.explanation + ", " + chain.dropLast().map { "#\($0)" }.joined(separator: " → ") + " merged into #\(chain.last ?? 0)"

        case let .inReplyTo(id, signed): return "in-reply-to \(id)" + (signed ? "" : " (stored message)")
        case let .references(id, signed): return "references \(id)" + (signed ? "" : " (stored message)")
        case let .bounceOf(id): return "bounce of \(id)"
        case let .tagToken(source): return "\(source.rawValue) tag+token"
        case let .tagParticipant(source, role): return "\(source.rawValue) tag, sender is \(role.rawValue)"
        }
    }
}

/// Why a message opens a new ticket (or is held) instead of joining one.
public enum NewTicketReason: Sendable, Equatable {
    case noReference
    case unknownTicket(Int)
    case closed(Int)
    case reopenWindowPassed(Int, days: Int)
    case strangerMentions(Int)
    case badToken(Int)

    public var explanation: String {
        switch self {
        case .noReference: return "no ticket reference"
        case let .unknownTicket(n): return "no ticket #\(n)"
        case let .closed(n): return "ticket \(n) closed"
        case let .reopenWindowPassed(n, days): return "ticket \(n) resolved \(days) days ago"
        case let .strangerMentions(n): return "stranger mentions #\(n)"
        case let .badToken(n): return "bad token for #\(n)"
        }
    }
}

/// The joining decision for one inbound message, with the explanation stored beside it.
public enum ThreadDecision: Sendable, Equatable {
    case join(ticket: Int, rule: JoinRule)
    /// Open a new ticket. `mentions`: a ticket a stranger named; `linkedFrom`: the closed/expired ticket replied to.
    case newTicket(NewTicketReason, mentions: Int?, linkedFrom: Int?)
    /// Quarantine for review (stranger policy `hold`).
    case hold(NewTicketReason, mentions: Int)
    /// Our own mail came back: drop it, keep a record.
    case dropOwnMail(String)

    /// `in-reply-to <id>`, `subject tag+token`, `subject tag, sender is requester`,
    /// `new: ticket 1234 closed`, `new: stranger mentions #1234`, `hold: stranger mentions #1234`, `drop: ...`.
    public var explanation: String {
        switch self {
        case let .join(_, rule): return rule.explanation
        case let .newTicket(reason, _, _): return "new: \(reason.explanation)"
        case let .hold(reason, _): return "hold: \(reason.explanation)"
        case let .dropOwnMail(reason): return "drop: \(reason)"
        }
    }

    /// The ticket joined, if any.
    public var joinedTicket: Int? {
        if case let .join(ticket, _) = self { return ticket }
        return nil
    }
}
