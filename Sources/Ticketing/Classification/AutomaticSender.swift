import Foundation

/// An address the loop defence saw send automatic mail (an auto-reply, a vacation notice):
/// automatic mail from us to it could start a loop, so it is withheld while the record is fresh
/// and no person has written from the address since.
public struct AutomaticSender: Sendable, Equatable {
    public var address: String
    public var firstAt: Date
    /// The last automatic message from it.
    public var lastAt: Date
    public var messages: Int
    /// The classifier's rules for that last one, e.g. `auto-submitted: auto-replied`.
    public var reason: String
    /// The stored message that was (for `postdesk explain`).
    public var messageRow: Int64?
    /// A person last wrote from the address (a human message after an automatic one ends the flag).
    public var humanAt: Date?

    public init(address: String, firstAt: Date, lastAt: Date, messages: Int, reason: String, messageRow: Int64? = nil, humanAt: Date? = nil) {
        self.address = address
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.messages = messages
        self.reason = reason
        self.messageRow = messageRow
        self.humanAt = humanAt
    }

    /// Until when automatic mail to it is withheld (`days` after the last automatic message),
    /// or nil when it is not: `days` is 0, the time has passed, or a person wrote since.
    public func withheldUntil(now: Date, days: Int) -> Date? {
        guard days > 0, humanAt.map({ $0 < lastAt }) ?? true else { return nil }
        let until = lastAt.addingTimeInterval(TimeInterval(days) * 86_400)
        return until > now ? until : nil
    }

    /// What a message of `messageClass` means for its sender's record: an auto-reply is
    /// recorded, a person's message ends the flag, the rest (bounces from mailer daemons,
    /// list mail, our own) say nothing about the address.
    public enum Effect: Sendable, Equatable {
        case automatic(reason: String)
        case human
        case none
    }

    /// `decision`: how the message threaded. An auto-reply is recorded only when it answers mail
    /// we sent (one of our signed Message-IDs in In-Reply-To/References, or the ticket's tag with
    /// its token): From: is whatever the sender typed, and a stranger's forged "auto-reply" from a
    /// customer's address must not silence her mail. A reply of unproven origin records nothing.
    public static func effect(of classification: Classification, decision: ThreadDecision?) -> Effect {
        switch classification.messageClass {
        case .autoReply:
            guard answersOurMail(decision) else { return .none }
            return .automatic(reason: classification.reasons.joined(separator: "; "))
        case .human: return .human
        case .bounce, .list, .ourOwn: return .none
        }
    }

    /// Whether the thread decision proves the message answers mail we sent to its sender.
    static func answersOurMail(_ decision: ThreadDecision?) -> Bool {
        guard case let .join(_, rule)? = decision else { return false }
        switch rule.base {
        case .inReplyTo(_, signed: true), .references(_, signed: true), .tagToken: return true
        default: return false
        }
    }
}
