import Foundation

/// What to do with strangers who name a ticket they take no part in.
public enum StrangerPolicy: String, Sendable, Equatable {
    /// Open a new ticket linked "mentions #N".
    case newTicket = "new"
    /// Put the message in quarantine for review.
    case hold
}

/// Decides which ticket an inbound message belongs to, without trusting anything a stranger can forge.
///
/// A message joins ticket N when (a) In-Reply-To/References names our signed Message-ID for N or a
/// Message-ID stored on N; (b) our tag for N carries a valid token; (c) our tag for N has no token and
/// the sender takes part in N. A tag alone from anyone else opens a new ticket (or is held).
/// The body is never read: a ticket number quoted in a body is not a reference.
public struct ThreadResolver: Sendable {
    public var tags: TicketTagFormat
    public var signer: MessageIDSigner
    public var strangers: StrangerPolicy
    /// How long after `resolved` a customer reply reopens the ticket instead of opening a new one.
    public var reopenWindow: TimeInterval
    /// References beyond this many (newest kept) are ignored: hostile headers can be long.
    public var maxReferences = 64

    public init(tags: TicketTagFormat, signer: MessageIDSigner, strangers: StrangerPolicy = .newTicket,
                reopenWindow: TimeInterval = 14 * 86_400) {
        self.tags = tags
        self.signer = signer
        self.strangers = strangers
        self.reopenWindow = reopenWindow
    }

    public func decide(_ facts: InboundFacts, classification: Classification, lookup: some ThreadLookup,
                       now: Date) -> ThreadDecision {
        if classification.messageClass == .ourOwn {
            return .dropOwnMail(classification.reasons.joined(separator: "; "))
        }
        let context = Context(facts: facts, messageClass: classification.messageClass, lookup: lookup, now: now)
        if let decision = byReference(context) { return decision }
        return byTag(context)
    }

    /// The subject for a new ticket: reply markers and every tag of ours removed, so replies to the new
    /// ticket never carry the old number.
    public func subjectForNewTicket(_ subject: String) -> String {
        SubjectLine.normalised(tags.strippingTags(from: SubjectLine.normalised(subject)))
    }

    // MARK: - Rule (a): references

    private struct Context {
        let facts: InboundFacts
        let messageClass: MessageClass
        let lookup: any ThreadLookup
        let now: Date
        var sender: String { facts.sender }
    }

    private func byReference(_ c: Context) -> ThreadDecision? {
        var candidates: [(String, (String, Bool) -> JoinRule)] = []
        for id in c.facts.inReplyTo.prefix(maxReferences) { candidates.append((id, { JoinRule.inReplyTo($0, signed: $1) })) }
        for id in c.facts.references.suffix(maxReferences).reversed() { candidates.append((id, { JoinRule.references($0, signed: $1) })) }
        if c.messageClass == .bounce, let original = c.facts.bounce.flatMap({ BounceReport.interpret($0).originalMessageID }) {
            candidates.append((original, { id, _ in JoinRule.bounceOf(id) }))
        }
        for (id, rule) in candidates {
            let signedNumber = signer.ticketNumber(in: id)
            guard let number = signedNumber ?? c.lookup.ticketNumber(forMessageID: id),
                  let named = c.lookup.ticket(number: number) else { continue }
            let (ticket, rule) = forward(named, rule: rule(id, signedNumber != nil), c)
            return admit(ticket, rule: rule, c)
        }
        return nil
    }

    // MARK: - Rules (b) and (c): tags

    private func byTag(_ c: Context) -> ThreadDecision {
        var found = tags.tags(in: c.facts.subject)
        for address in c.facts.to + c.facts.cc + c.facts.deliveredTo {
            if let tag = tags.tag(inAddress: address), !found.contains(tag) { found.append(tag) }
        }
        var refused: (NewTicketReason, Int)?
        var unknown: Int?
        for tag in found {
            guard let named = c.lookup.ticket(number: tag.number) else { unknown = unknown ?? tag.number; continue }
            // The token is the one of the number written (a merged ticket's customers keep theirs);
            // who takes part is asked of the ticket the mail lands on, which holds them now.
            let tokenValid = tag.token.map { tags.isValid(token: $0, for: tag.number) } ?? false
            let ticket = MergeForward.follow(named, lookup: c.lookup).ticket
            if tokenValid {
                let (ticket, rule) = forward(named, rule: .tagToken(tag.source), c)
                return admit(ticket, rule: rule, c)
            }
            if let role = role(of: c.sender, in: ticket, c) {
                let (ticket, rule) = forward(named, rule: .tagParticipant(tag.source, role), c)
                return admit(ticket, rule: rule, c)
            }
            if refused == nil {
                refused = (tag.token == nil ? .strangerMentions(tag.number) : .badToken(tag.number), ticket.number)
            }
        }
        if let (reason, number) = refused {
            // `number`: the ticket the named one forwards to (itself when not merged).
            switch strangers {
            case .newTicket: return .newTicket(reason, mentions: number, linkedFrom: nil)
            case .hold: return .hold(reason, mentions: number)
            }
        }
        if let unknown { return .newTicket(.unknownTicket(unknown), mentions: nil, linkedFrom: nil) }
        return .newTicket(.noReference, mentions: nil, linkedFrom: nil)
    }

    /// The ticket a message naming `named` lands on, and the rule saying so (wrapped when it was merged away).
    private func forward(_ named: TicketSnapshot, rule: JoinRule, _ c: Context) -> (TicketSnapshot, JoinRule) {
        let (ticket, chain) = MergeForward.follow(named, lookup: c.lookup)
        return (ticket, chain.count > 1 ? .forwarded(rule, chain: chain) : rule)
    }

    private func role(of sender: String, in ticket: TicketSnapshot, _ c: Context) -> ParticipantRole? {
        if let role = ticket.participants[sender] { return role }
        return c.lookup.isAgent(sender) ? .agent : nil
    }

    // MARK: - Closed tickets and the reopen window

    /// Joins an identified ticket unless a human reply must start over: the ticket is closed, or a
    /// customer answers a ticket resolved longer ago than the reopen window. Automatic mail always joins:
    /// it never changes status, and a new ticket for an out-of-office would be noise.
    private func admit(_ ticket: TicketSnapshot, rule: JoinRule, _ c: Context) -> ThreadDecision {
        guard c.messageClass.changesStatus else { return .join(ticket: ticket.number, rule: rule) }
        if ticket.isClosed { return .newTicket(.closed(ticket.number), mentions: nil, linkedFrom: ticket.number) }
        if ticket.status == .resolved, let resolvedAt = ticket.resolvedAt, role(of: c.sender, in: ticket, c) != .agent {
            let age = c.now.timeIntervalSince(resolvedAt)
            if age > reopenWindow {
                let days = Int((age / 86_400).rounded(.down))
                return .newTicket(.reopenWindowPassed(ticket.number, days: days), mentions: nil, linkedFrom: ticket.number)
            }
        }
        return .join(ticket: ticket.number, rule: rule)
    }
}
